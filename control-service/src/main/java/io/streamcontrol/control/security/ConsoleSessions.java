package io.streamcontrol.control.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * How the web console signs in and how its session reaches the API.
 *
 * <ul>
 *   <li>{@code /console/**}: a sign-in form ({@value #LOGIN_PAGE}, posting to {@code /console/login}) with the service's
 *       own users, a session, CSRF tokens on every form, and {@code POST /console/logout}. Everything but the sign-in
 *       page, its assets and {@code /console/session} needs a signed-in user. The pages may load nothing but what the
 *       service serves (a Content-Security-Policy of {@code 'self'}).</li>
 *   <li>{@code /api/**}: a request without credentials of its own (no {@code Authorization}, no API key) that carries
 *       the session cookie is the console's: it is authenticated by the session, which the API reads but never
 *       creates, and when it changes something it must send the session's CSRF token ({@code X-CSRF-TOKEN}).
 *       Callers with HTTP basic, an API key or a bearer token are authenticated as before, without sessions or CSRF.</li>
 * </ul>
 */
final class ConsoleSessions {

    static final String LOGIN_PAGE = "/console/login.html";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** Only what the service itself serves; uPlot sets element styles from script, hence the inline styles. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"
            + " 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'; object-src 'none'";

    private ConsoleSessions() {
    }

    static HttpSecurity configure(HttpSecurity http, UserDetailsService users) throws Exception {
        return http.securityMatcher("/console", "/console/**", "/webjars/**")
                .userDetailsService(users)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(LOGIN_PAGE, "/console/session", "/console/assets/**", "/webjars/**").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage(LOGIN_PAGE).loginProcessingUrl("/console/login")
                        .defaultSuccessUrl("/console/", true).failureUrl(LOGIN_PAGE + "?error").permitAll())
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl(LOGIN_PAGE + "?signed-out"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
    }

    /** CSRF applies to a mutating API call that only the session cookie authenticates. */
    static boolean authenticatedBySessionOnly(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && request.getHeader("Authorization") == null
                && request.getHeader(ApiKeys.HEADER) == null
                && request.getSession(false) != null;
    }

    /** The API's security context: this request's own authentication, else the console's session, never saved. */
    static SecurityContextRepository readOnlySessions() {
        HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
        sessions.setAllowSessionCreation(false);
        SecurityContextRepository readOnly = new SecurityContextRepository() {
            @Override
            public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
                return sessions.loadDeferredContext(request);
            }

            @Override
            @SuppressWarnings("deprecation")
            public SecurityContext loadContext(
                    org.springframework.security.web.context.HttpRequestResponseHolder holder) {
                return sessions.loadContext(holder);
            }

            @Override
            public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
                // the API never writes a session: only the console's sign-in does
            }

            @Override
            public boolean containsContext(HttpServletRequest request) {
                return sessions.containsContext(request);
            }
        };
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(), readOnly);
    }
}
