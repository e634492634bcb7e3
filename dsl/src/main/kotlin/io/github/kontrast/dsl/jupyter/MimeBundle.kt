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
 *
 * @property data the output in each of its forms, by MIME type (e.g. "image/png" as base64, "text/plain").
 * @property metadata per-MIME-type display hints, such as an image's width; none by default.
 */
class MimeBundle(val data: Map<String, String>, val metadata: Map<String, JsonElement> = emptyMap()) : DisplayResult {
  /** The display_data JSON the kernel sends: data, metadata (ours and the kernel's) and the display id. */
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
