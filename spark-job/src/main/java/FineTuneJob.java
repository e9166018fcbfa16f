import org.carotspark.stage.StageLauncher;

/**
 * Lets {@code spark-submit --class FineTuneJob <job jar> [config]} work exactly as written.
 */
public final class FineTuneJob {
    private FineTuneJob() {
    }

    public static void main(String[] args) {
        StageLauncher.main("train", args);
    }
}
