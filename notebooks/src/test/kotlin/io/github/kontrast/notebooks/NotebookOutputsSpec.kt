package io.github.kontrast.notebooks

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.io.File
import java.util.Base64

/**
 * The committed notebooks as a reader opening them fresh sees them. Jupyter does not trust a
 * notebook it did not run: it shows no SVG and sanitises HTML (an SVG inside HTML loses everything
 * but its text). So every figure must carry a PNG, and no HTML copy of its SVG may stand in front of
 * that PNG. The outputs must also be a full run's, not quick mode's (CI runs quick mode elsewhere).
 */
class NotebookOutputsSpec : FunSpec({
  val notebooks = EmbeddedKernel.notebooksDir.listFiles { f -> f.name.endsWith(".ipynb") }
    ?.sortedBy { it.name }.orEmpty()

  /** Every output of every code cell: (1-based cell number, output object). */
  fun outputs(file: File): List<Pair<Int, JsonObject>> {
    val cells = Json.parseToJsonElement(file.readText()).jsonObject.getValue("cells").jsonArray
    return cells.flatMapIndexed { i, cell ->
      (cell.jsonObject["outputs"] as? JsonArray).orEmpty().map { i + 1 to it.jsonObject }
    }
  }

  /** A MIME entry as one string (nbformat may store it as a list of lines). */
  fun text(value: JsonElement): String = when (value) {
    is JsonArray -> value.joinToString("") { it.jsonPrimitive.content }
    else -> value.jsonPrimitive.content
  }

  val pngSignature = listOf(137, 80, 78, 71, 13, 10, 26, 10)

  test("there are notebooks with figures") {
    notebooks.shouldNotBeEmpty()
    notebooks.sumOf { nb -> outputs(nb).count { (_, o) -> (o["data"] as? JsonObject)?.containsKey("image/svg+xml") == true } } shouldBeGreaterThan 0
  }

  for (notebook in notebooks) {
    test("${notebook.name}: every figure has a valid PNG with its size, and no HTML copy of the SVG") {
      val problems = mutableListOf<String>()
      for ((cell, output) in outputs(notebook)) {
        val data = output["data"] as? JsonObject ?: continue
        data["text/html"]?.let { if ("<svg" in text(it)) problems += "cell $cell: text/html holds an SVG (an untrusted notebook shows it as bare text)" }
        if ("image/svg+xml" !in data) continue
        val png = data["image/png"]
        if (png == null) { problems += "cell $cell: a figure without image/png"; continue }
        val bytes = Base64.getMimeDecoder().decode(text(png))
        if (bytes.size < 1_000 || bytes.take(8).map { it.toInt() and 0xFF } != pngSignature) {
          problems += "cell $cell: image/png is not a PNG file (${bytes.size} bytes)"
        }
        val size = (output["metadata"] as? JsonObject)?.get("image/png") as? JsonObject
        val width = (size?.get("width") as? JsonPrimitive)?.intOrNull
        if (width == null || width <= 0) problems += "cell $cell: the PNG has no width in its metadata (a 2x PNG would show twice as large)"
      }
      problems.shouldBeEmpty()
    }

    test("${notebook.name}: the committed outputs are not quick mode's") {
      val quickLines = outputs(notebook).filter { (_, o) -> o["output_type"]?.jsonPrimitive?.content == "stream" }
        .filter { (_, o) -> "KONTRAST_QUICK=1" in text(o.getValue("text")) }
        .map { (cell, _) -> "cell $cell" }
      quickLines.shouldBeEmpty()
    }
  }
})
