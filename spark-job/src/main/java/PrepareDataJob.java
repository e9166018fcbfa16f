import org.carotspark.stage.StageLauncher;

/**
 * Lets {@code spark-submit --class PrepareDataJob <job jar> [config]} work exactly as written. The
 * prep stage is shipped in the job jar and found by name: this module does not compile against it.
 */
public final class PrepareDataJob {
    private PrepareDataJob() {
    }

    public static void main(String[] args) {
        StageLauncher.main("prep", args);
    }
}
