package io.github.kontrast.dsl.jupyter

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.kotlinx.jupyter.api.DisplayResult
import org.jetbrains.kotlinx.jupyter.api.setDisplayId

/**
 * One cell output as Jupyter stores it: [data] by MIME type and its [metadata]. The kernel's own
 * `MIME(...)` result cannot carry metadata, and a 2x PNG needs it: `{"image/png": {"width": w}}`
 * makes Jupyter draw it at its logical size, sharp on high-density screens.
 */
class MimeBundle(val data: Map<String, String>, val metadata: Map<String, JsonElement> = emptyMap()) : DisplayResult {
  override fun toJson(additionalMetadata: JsonObject, overrideId: String?): JsonObject {
    val json = mutableMapOf<String, JsonElement>(
      "data" to JsonObject(data.mapValues { JsonPrimitive(it.value) }),
      "metadata" to JsonObject(metadata + additionalMetadata),
    )
    json.setDisplayId(overrideId ?: id)
    return JsonObject(json)
  }

  override fun toString(): String = "MimeBundle(${data.keys}, metadata=${metadata.keys})"
}
