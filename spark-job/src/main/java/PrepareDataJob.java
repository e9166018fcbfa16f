/**
 * Lets {@code spark-submit --class PrepareDataJob <job jar> [config]} work exactly as written.
 */
public final class PrepareDataJob {
    private PrepareDataJob() {
    }

    public static void main(String[] args) {
        org.carotspark.prep.PrepareDataJob.main(args);
    }
}
