/**
 * Lets {@code spark-submit --class FineTuneJob <job jar> [config]} work exactly as written.
 */
public final class FineTuneJob {
    private FineTuneJob() {
    }

    public static void main(String[] args) {
        org.carotspark.job.FineTuneJob.main(args);
    }
}
