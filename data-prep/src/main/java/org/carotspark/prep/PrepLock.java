package org.carotspark.prep;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.JsonMaps;
import org.carotspark.sparkutil.HadoopFs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One prep at a time per Parquet root, on any Hadoop file system including S3, which has no atomic
 * create-if-absent or directory rename to build a lock from. Each prep writes its own marker
 * {@code <root>/_prep-lock/<owner>.json} and then lists the directory: if any live marker but its own is there, it
 * deletes its marker and refuses. Two preps that race can both refuse, but never both proceed, given that a
 * listing shows every marker whose write completed before it (true of S3 since 2020, GCS, HDFS and local disks).
 *
 * <p>A killed prep leaves its marker behind. A marker is stale, and removed with a warning, when its owner ran on
 * this host and its process is gone, or when it has not been refreshed for {@code carot.prep.lock-stale-after}
 * (the owner rewrites it every quarter of that; this compares the file system's modification time with this
 * host's clock, so the clocks must agree to well within that time). Before publishing, the owner checks that its
 * marker is still there, so a prep whose lock was broken as stale publishes nothing.
 */
final class PrepLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrepLock.class);

    /** Directory of lock markers under the Parquet root. */
    static final String LOCK_DIR = "_prep-lock";
    private static final String SUFFIX = ".json";

    /** Who holds a marker; written into it so the refusal can say who is running. */
    record Owner(String id, String host, long pid, String user, Instant started) {
        static Owner current(Clock clock) {
            return new Owner(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid(),
                    System.getProperty("user.name", "?"), clock.instant());
        }

        String toJson(Instant heartbeat) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("owner", id);
            m.put("host", host);
            m.put("pid", pid);
            m.put("user", user);
            m.put("started", started.toString());
            m.put("heartbeat", heartbeat.toString());
            return JsonMaps.write(m, false);
        }

        static Owner fromJson(String json) throws IOException {
            Map<String, Object> m = JsonMaps.read(json);
            return new Owner((String) m.get("owner"), (String) m.get("host"), ((Number) m.get("pid")).longValue(),
                    (String) m.get("user"), Instant.parse((String) m.get("started")));
        }

        String describe() {
            return "started " + started + " by " + user + "@" + host + ", pid " + pid;
        }
    }

    private final FileSystem fs;
    private final Path root;
    private final Path marker;
    private final Owner owner;
    private final Clock clock;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean lost;

    private PrepLock(FileSystem fs, Path root, Path marker, Owner owner, Clock clock, Duration staleAfter) {
        this.fs = fs;
        this.root = root;
        this.marker = marker;
        this.owner = owner;
        this.clock = clock;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prep-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long periodMs = Math.max(1000, staleAfter.toMillis() / 4);
        heartbeat.scheduleWithFixedDelay(this::refresh, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * @param afterMarkerWritten runs between writing the own marker and listing the others (tests use it to
     *                           stage a race)
     * @throws UserFacingException when another live prep holds the root
     */
    static PrepLock acquire(FileSystem fs, Path root, Duration staleAfter, Clock clock, Runnable afterMarkerWritten)
            throws IOException {
        Path dir = new Path(root, LOCK_DIR);
        refuseIfHeld(fs, dir, root, staleAfter, clock, null);
        Owner owner = Owner.current(clock);
        Path marker = new Path(dir, owner.id() + SUFFIX);
        HadoopFs.writeString(marker, owner.toJson(clock.instant()), fs.getConf());
        try {
            afterMarkerWritten.run();
            refuseIfHeld(fs, dir, root, staleAfter, clock, marker);
        } catch (RuntimeException | IOException e) {
            fs.delete(marker, false);
            throw e;
        }
        LOG.debug("prep lock {} acquired", marker);
        return new PrepLock(fs, root, marker, owner, clock, staleAfter);
    }

    private static void refuseIfHeld(FileSystem fs, Path dir, Path root, Duration staleAfter, Clock clock, Path own)
            throws IOException {
        FileStatus[] markers;
        try {
            markers = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return;
        }
        for (FileStatus st : markers) {
            Path p = st.getPath();
            if (!p.getName().endsWith(SUFFIX) || p.equals(own)) {
                continue;
            }
            Owner other = readOwner(fs, p);
            String staleBecause = staleReason(other, st, staleAfter, clock);
            if (staleBecause != null) {
                LOG.warn("removing a stale prep lock {} ({}; {})", p, other == null ? "unreadable marker"
                        : other.describe(), staleBecause);
                fs.delete(p, false);
                continue;
            }
            throw new UserFacingException("another prep is writing to " + root + " ("
                    + (other == null ? "marker " + p : other.describe() + "; lock " + p)
                    + "): wait for it to finish, or delete the lock file if that process is gone");
        }
    }

    /** Why a marker no longer protects a running prep, or null when it may. */
    private static String staleReason(Owner other, FileStatus st, Duration staleAfter, Clock clock) {
        if (other != null && other.host().equals(hostName()) && other.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(other.pid()).isEmpty()) {
            return "process " + other.pid() + " on this host is gone";
        }
        Duration silent = Duration.ofMillis(clock.millis() - st.getModificationTime());
        if (silent.compareTo(staleAfter) > 0) {
            return "not refreshed for " + silent.toMinutes() + " min (carot.prep.lock-stale-after = "
                    + staleAfter.toMinutes() + " min)";
        }
        return null;
    }

    private static Owner readOwner(FileSystem fs, Path p) {
        try {
            return Owner.fromJson(HadoopFs.readString(p, fs.getConf()));
        } catch (IOException | RuntimeException e) {
            // Half-written or being rewritten: judged by its modification time alone.
            return null;
        }
    }

    private void refresh() {
        try {
            if (!fs.exists(marker)) {
                lost = true;
                LOG.error("prep lock {} was removed by someone else; this prep will not publish", marker);
                heartbeat.shutdown();
                return;
            }
            HadoopFs.writeString(marker, owner.toJson(clock.instant()), fs.getConf());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot refresh prep lock {}: {}", marker, e.toString());
        }
    }

    /** Throws unless this prep still holds the root: called right before publishing. */
    void checkStillHeld() throws IOException {
        if (lost || !fs.exists(marker)) {
            throw new UserFacingException("the prep lock " + marker + " was removed while this prep ran (another "
                    + "prep judged it stale?): nothing was published; " + root + " is unchanged, run prep again");
        }
    }

    Path marker() {
        return marker;
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            // A refresh still writing could otherwise recreate the marker after it is deleted.
            heartbeat.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            fs.delete(marker, false);
        } catch (IOException e) {
            LOG.warn("cannot remove prep lock {}: {} (the next prep will find it stale)", marker, e.toString());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
