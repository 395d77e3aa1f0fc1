package io.streamcontrol.control.launcher;

import java.io.IOException;

/** Where drivers run: launches the streaming job without waiting for it, and reports through the listener. */
public interface SparkPlatform {

    DriverHandle launch(LaunchRequest request, DriverListener listener) throws IOException;
}
