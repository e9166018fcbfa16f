package org.carotspark.config;

import com.typesafe.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared shell of every main: user errors become one readable line and a non-zero exit,
 * bugs keep their stack trace. Exit codes: 0 ok, 2 bad input or config, 1 anything else.
 */
public final class MainRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MainRunner.class);

    public interface Body {
        void run() throws Exception;
    }

    private MainRunner() {
    }

    public static void run(String jobName, Body body) {
        int code = runForExitCode(jobName, body);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Like {@link #run} without calling System.exit, for tests. */
    public static int runForExitCode(String jobName, Body body) {
        try {
            body.run();
            return 0;
        } catch (UserFacingException | ConfigException e) {
            String msg = e instanceof ConfigException ? "config error: " + e.getMessage() : e.getMessage();
            // One line on stderr, no stack trace: this is the user's input, not our bug.
            System.err.println(jobName + " failed: " + msg);
            return 2;
        } catch (Exception e) {
            LOG.error("{} failed with an unexpected error", jobName, e);
            System.err.println(jobName + " failed: " + e);
            return 1;
        }
    }
}
