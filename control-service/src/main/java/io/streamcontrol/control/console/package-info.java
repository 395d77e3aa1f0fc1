/**
 * The web console's page.
 */
package io.streamcontrol.control.console;
