package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray
import org.apache.lucene.codecs.KnnVectorsFormat
import org.apache.lucene.codecs.lucene912.Lucene912Codec
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat
import org.apache.lucene.document.Document
import org.apache.lucene.document.KnnFloatVectorField
import org.apache.lucene.document.StoredField
import org.apache.lucene.index.DirectoryReader
import org.apache.lucene.index.IndexWriter
import org.apache.lucene.index.IndexWriterConfig
import org.apache.lucene.index.VectorSimilarityFunction
import org.apache.lucene.search.IndexSearcher
import org.apache.lucene.search.KnnFloatVectorQuery
import org.apache.lucene.store.FSDirectory
import java.nio.file.Files
import java.nio.file.Path

/**
 * Approximate nearest-neighbour search on disk: every vector is a Lucene document with a
 * [KnnFloatVectorField], which Lucene indexes as an HNSW graph (Malkov and Yashunin 2018) of
 * [maxConnections] neighbours per node, built with a beam of [beamWidth]; a query explores the
 * graph with a beam of max(k, [searchBeam]) candidates. The index lives in [directory] and
 * survives the process: constructing a [HnswVectorIndex] on a directory that holds one opens it
 * (its dimension and similarity must match) and adds after its vectors. Every [add] is committed.
 *
 * Scores are converted back from Lucene's (1 + s) / 2 to the similarity s itself, so they compare
 * with [ExactVectorIndex]'s. With [VectorSimilarity.DOT_PRODUCT] Lucene requires unit vectors
 * (a CLIP tower's embeddings are), and [add] checks them. Lucene caps the dimension at 1,024.
 */
class HnswVectorIndex @JvmOverloads constructor(
  /** The folder the Lucene index lives in; an index already there is opened. */
  val directory: Path,
  /** Numbers per vector, 1 to 1,024. */
  override val dimension: Int,
  /** How queries are scored (default cosine). */
  override val similarity: VectorSimilarity = VectorSimilarity.COSINE,
  /** Neighbours per node of the HNSW graph (default Lucene's 16). */
  val maxConnections: Int = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
  /** Candidates kept while the graph is built (default Lucene's 100). */
  val beamWidth: Int = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH,
  /** Candidates a query explores, at least k (default 100): more is slower and finds more true neighbours. */
  val searchBeam: Int = 100,
) : VectorIndex {
  init {
    require(dimension in 1..MAX_DIMENSION) { "dimension must be in 1..$MAX_DIMENSION (Lucene's limit), got $dimension" }
    require(maxConnections in 2..Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) { "maxConnections must be in 2..${Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN}, got $maxConnections" }
    require(beamWidth in 1..Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) { "beamWidth must be in 1..${Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH}, got $beamWidth" }
    require(searchBeam >= 1) { "searchBeam must be >= 1, got $searchBeam" }
  }

  private val luceneSimilarity = when (similarity) {
    VectorSimilarity.COSINE -> VectorSimilarityFunction.COSINE
    VectorSimilarity.DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT
  }
  private val store = FSDirectory.open(Files.createDirectories(directory))
  private val writer: IndexWriter
  private var reader: DirectoryReader

  init {
    try {
      val hnsw = Lucene99HnswVectorsFormat(maxConnections, beamWidth)
      // the codec's name stays Lucene912's: the per-field format is recorded in the index, so any reader opens it
      val codec = object : Lucene912Codec() {
        override fun getKnnVectorsFormatForField(field: String): KnnVectorsFormat = hnsw
      }
      writer = IndexWriter(store, IndexWriterConfig().setCodec(codec).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND))
      writer.commit()
      reader = DirectoryReader.open(writer)
      checkExisting()
    } catch (e: Throwable) {
      store.close()
      throw e
    }
  }

  private fun checkExisting() {
    for (leaf in reader.leaves()) {
      val info = leaf.reader().fieldInfos.fieldInfo(VECTOR) ?: continue
      require(info.vectorDimension == dimension && info.vectorSimilarityFunction == luceneSimilarity) {
        "the index in $directory holds vectors of dimension ${info.vectorDimension} and ${info.vectorSimilarityFunction}, " +
          "not $dimension and $luceneSimilarity"
      }
    }
  }

  override val size: Int get() = reader.numDocs()

  override fun add(vectors: FloatHostArray) {
    checkVectors("vectors", vectors, dimension)
    val d = dimension
    val first = size
    for (r in 0 until vectors.rows) {
      val v = vectors.data.copyOfRange(r * d, r * d + d)
      val norm = Math.sqrt(v.sumOf { it.toDouble() * it })
      when (similarity) {
        VectorSimilarity.COSINE -> require(norm > 0) { "vectors: row $r is the zero vector, which has no cosine" }
        VectorSimilarity.DOT_PRODUCT -> require(Math.abs(norm - 1) < 1e-3) { "vectors: row $r has length $norm; Lucene's dot product needs unit vectors" }
      }
      val doc = Document()
      doc.add(KnnFloatVectorField(VECTOR, v, luceneSimilarity))
      doc.add(StoredField(ID, first + r))
      writer.addDocument(doc)
    }
    writer.commit()
    DirectoryReader.openIfChanged(reader, writer)?.let { reader.close(); reader = it }
  }

  override fun search(query: FloatArray, k: Int): List<SearchHit> {
    checkQuery(query, dimension, similarity, k)
    if (size == 0) return emptyList()
    val searcher = IndexSearcher(reader)
    val beam = maxOf(k, searchBeam)
    val top = searcher.search(KnnFloatVectorQuery(VECTOR, query, beam), beam)
    val stored = searcher.storedFields()
    return top.scoreDocs
      .map { SearchHit(stored.document(it.doc).getField(ID).numericValue().toInt(), 2 * it.score - 1) }
      .sortedWith(compareByDescending<SearchHit> { it.score }.thenBy { it.id })
      .take(k)
  }

  /** Closes the index reader, writer and directory; the vectors stay on disk. */
  override fun close() {
    try {
      reader.close()
      writer.close()
    } finally {
      store.close()
    }
  }

  override fun toString() = "HnswVectorIndex($directory: $size x $dimension, $similarity, M=$maxConnections, beam $beamWidth)"

  companion object {
    /** Lucene's largest vector dimension for the default format. */
    const val MAX_DIMENSION = 1024
    private const val VECTOR = "vector"
    private const val ID = "id"
  }
}
