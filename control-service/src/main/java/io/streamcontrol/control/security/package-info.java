/**
 * Authentication (API keys, console sign-in) and the roles viewer and operator.
 */
package io.streamcontrol.control.security;
