/**
 * The streaming job's settings, each declared once (name, default, check, documentation, what a change takes), and how
 * they are read from and written as arguments.
 */
package io.streamcontrol.contract.settings;
