package org.steno.pipeline;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speech pipeline on a Flink MiniCluster inside this JVM (the embedded default): one
 * cluster, one long-running job that picks up every meeting with captions on. Started once
 * and kept running; a second meeting costs no cluster start-up.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPipeline.class);

    // Volatile, read without the lock: readiness must not wait for a start that takes seconds.
    private volatile MiniCluster cluster;
    private volatile JobID job;
    private volatile boolean closing;

    /** Starts the cluster and submits the job; returns once the job is accepted. */
    public synchronized void start(PipelineOptions options) throws Exception {
        if (cluster != null || closing) {
            return;
        }
        long t0 = System.nanoTime();
        Configuration conf = SpeechPipelineJob.flinkConfig(options);
        // The MiniCluster's REST endpoint must not claim a fixed port next to steno's own.
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.bind-port", "0");
        MiniCluster c = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(options.parallelism()).build());
        c.start();
        cluster = c;
        if (closing) { // close() ran while the cluster was starting: it is ours to stop
            shutdown(c, null);
            cluster = null;
            return;
        }
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            new SpeechPipelineJob(options).build(env);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(SpeechPipelineJob.JOB_NAME);
            job = c.submitJob(graph.getJobGraph(EmbeddedPipeline.class.getClassLoader())).get(30, TimeUnit.SECONDS).getJobID();
        } catch (Exception e) {
            shutdown(c, null);
            cluster = null;
            throw e;
        }
        if (closing) {
            shutdown(c, job);
            cluster = null;
            job = null;
            return;
        }
        LOG.info("speech pipeline job {} submitted to the embedded Flink MiniCluster in {} ms", job,
                (System.nanoTime() - t0) / 1_000_000);
    }

    public boolean started() {
        return cluster != null && job != null;
    }

    /** The job's state, or null when not started or the cluster does not answer. */
    public JobStatus status() {
        MiniCluster c = cluster;
        JobID j = job;
        if (c == null || j == null) {
            return null;
        }
        try {
            return c.getJobStatus(j).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** Why the job failed, in one line, or null while it has not failed. */
    public String failure() {
        MiniCluster c = cluster;
        JobID j = job;
        if (c == null || j == null) {
            return null;
        }
        try {
            var result = c.requestJobResult(j).get(2, TimeUnit.SECONDS);
            return result.getSerializedThrowable()
                    .map(t -> rootCause(t.deserializeError(EmbeddedPipeline.class.getClassLoader()))).orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t.getClass().getSimpleName() + " caused by " + root;
    }

    public JobID jobId() {
        return job;
    }

    /**
     * Cancels the job and stops the cluster, bounded in time (steno stops within 10 s). Does
     * not wait for a start in progress: that start sees the flag and stops its own cluster.
     */
    @Override
    public void close() {
        closing = true;
        MiniCluster c = cluster;
        JobID j = job;
        cluster = null;
        job = null;
        if (c != null) {
            shutdown(c, j);
        }
    }

    private static void shutdown(MiniCluster c, JobID j) {
        if (j != null) {
            try {
                c.cancelJob(j).get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("cancelling the pipeline job: {}", e.toString());
            }
        }
        try {
            c.closeAsync().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the embedded Flink MiniCluster did not stop cleanly: {}", e.toString());
        }
    }
}
