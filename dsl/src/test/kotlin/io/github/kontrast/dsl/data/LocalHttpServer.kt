package io.github.kontrast.dsl.data

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.URI
import java.util.concurrent.atomic.AtomicInteger

/** An HTTP server on 127.0.0.1 serving [files] by path (404 otherwise); counts requests. */
class LocalHttpServer(private val files: Map<String, ByteArray>) : AutoCloseable {
  val requests = AtomicInteger()
  private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
    createContext("/") { exchange ->
      requests.incrementAndGet()
      val body = files[exchange.requestURI.path]
      if (body == null) {
        exchange.sendResponseHeaders(404, -1)
      } else {
        exchange.sendResponseHeaders(200, body.size.toLong())
        exchange.responseBody.use { it.write(body) }
      }
      exchange.close()
    }
    start()
  }

  fun uri(path: String): URI = URI("http://127.0.0.1:${server.address.port}$path")

  override fun close() = server.stop(0)
}
