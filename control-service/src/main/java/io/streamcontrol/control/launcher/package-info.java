/**
 * Running drivers through SparkLauncher: local, standalone and Kubernetes launches, handles and driver records.
 */
package io.streamcontrol.control.launcher;
