package io.github.kontrast.notebooks

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.io.File

/** One code cell of a notebook: its 1-based position among all the notebook's cells, and its source. */
data class CodeCell(val number: Int, val source: String)

/** Reads the code cells of an .ipynb file (nbformat 4), in order, skipping empty ones. */
object NotebookCells {
  fun read(file: File): List<CodeCell> {
    val root = Json.parseToJsonElement(file.readText()).jsonObject
    val cells = root["cells"]?.jsonArray
      ?: throw IllegalArgumentException("${file.name}: no 'cells' array; is it an nbformat 4 notebook?")
    return cells.mapIndexedNotNull { i, cell ->
      val obj = cell.jsonObject
      if (obj["cell_type"]?.jsonPrimitive?.content != "code") return@mapIndexedNotNull null
      // nbformat stores a source as one string or as a list of lines that keep their newlines
      val source = when (val s = obj["source"]) {
        is JsonArray -> s.joinToString("") { it.jsonPrimitive.content }
        is JsonPrimitive -> s.content
        else -> ""
      }
      if (source.isBlank()) null else CodeCell(i + 1, source)
    }
  }
}
