package io.streamcontrol.control.metrics;

import java.util.List;

/** The jobs whose drivers are polled for batch metrics; the jobs feature provides them. */
public interface MonitoredJobs {

    /** A running driver: its Spark application id and the base URL of its UI (which serves the REST API). */
    record Target(String job, String appId, String driverUiUrl) {
    }

    /** Jobs with a driver that should be answering now (RUNNING, with app id and UI URL known). */
    List<Target> running();

    boolean exists(String job);
}
