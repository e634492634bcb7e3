package io.github.kontrast.samples

fun main(args: Array<String>) {
  println("kontrast ${io.github.kontrast.dsl.Kontrast.VERSION}")
}
