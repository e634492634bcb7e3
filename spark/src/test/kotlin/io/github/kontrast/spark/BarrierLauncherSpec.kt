package io.github.kontrast.spark

import io.github.kontrast.dsl.distributed.ClusterSpec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.lang.management.ManagementFactory

class BarrierLauncherSpec : FunSpec({
  test("two barrier tasks in separate executor JVMs see the same cluster, with distinct ranks and their own partitions") {
    val sc = LocalCluster.session.sparkContext()
    val results = BarrierLauncher.launch(sc, 2, ReplicaWorker<Int, TaskView> { ctx, partition ->
      TaskView(ctx, partition.asSequence().toList(), ManagementFactory.getRuntimeMXBean().pid)
    })
    results shouldHaveSize 2
    results.map { it.context.rank } shouldBe listOf(0, 1)
    results.map { it.partition } shouldBe listOf(listOf(0), listOf(1))
    // the same addresses, in the same order, on both tasks; two different ports
    results[0].context.workers shouldBe results[1].context.workers
    results[0].context.workers shouldHaveSize 2
    results[0].context.port shouldNotBe results[1].context.port
    results.forEach { it.context.address shouldBe it.context.workers[it.context.rank] }
    // the cluster as data-parallel training takes it
    results.forEach { it.context.clusterSpec() shouldBe ClusterSpec(it.context.workers, it.context.rank) }
    // no GPU scheduling here: no GPUs assigned
    results.forEach { it.context.gpus shouldBe emptyList() }
    // local-cluster: each task ran in its own executor process, neither of them this one
    val driver = ManagementFactory.getRuntimeMXBean().pid
    results[0].pid shouldNotBe results[1].pid
    results.forEach { it.pid shouldNotBe driver }
  }

  test("a task's ports are free: each task binds the port it announced") {
    val sc = LocalCluster.session.sparkContext()
    val bound = BarrierLauncher.launch(sc, 2, ReplicaWorker<Int, Boolean> { ctx, _ ->
      java.net.ServerSocket(ctx.port).use { it.isBound }
    })
    bound shouldBe listOf(true, true)
  }

  test("allGather's messages: parsed by rank, a missing or repeated rank refused") {
    BarrierLauncher.addressesByRank(listOf("1 b:2", "0 a:1")) shouldBe listOf("a:1", "b:2")
    shouldThrow<IllegalArgumentException> { BarrierLauncher.addressesByRank(listOf("0 a:1", "0 b:2")) }.message shouldContain "expected 0..1"
    shouldThrow<IllegalArgumentException> { BarrierLauncher.addressesByRank(listOf("0a:1")) }.message shouldContain "expected 'rank host:port'"
  }

  test("bad arguments are named") {
    val sc = LocalCluster.session.sparkContext()
    shouldThrow<IllegalArgumentException> { BarrierLauncher.launch(sc, 0, ReplicaWorker<Int, Int> { _, _ -> 0 }) }.message shouldContain "workers must be >= 1, got 0"
    shouldThrow<IllegalArgumentException> { ReplicaContext(listOf("a:1"), 1, 0) }.message shouldContain "rank must be in 0..0, got 1"
  }
})

/** What a task reports back: its context, its partition's contents and its process. */
class TaskView(val context: ReplicaContext, val partition: List<Int>, val pid: Long) : java.io.Serializable
