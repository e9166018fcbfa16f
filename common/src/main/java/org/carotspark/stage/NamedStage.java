package org.carotspark.stage;

/** A stage with a fixed name, started in the shared Spark session settings unless it says otherwise. */
public abstract class NamedStage implements PipelineStage {

    private final String name;

    protected NamedStage(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }
}
