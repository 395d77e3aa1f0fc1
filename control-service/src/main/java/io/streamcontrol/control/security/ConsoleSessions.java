package io.streamcontrol.control.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
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
 *   <li>{@code /console/**}: a sign-in page ({@value #LOGIN_PAGE}) with a form posting to {@code /console/login} for the
 *       service's own users and one posting an API key or a JWT ({@link ConsoleCredentialSignIn}), a session, CSRF
 *       tokens on every form, and {@code POST /console/logout}. Everything but the sign-in page, its assets and
 *       {@code /console/session} needs a signed-in user. The pages may load nothing but what the service serves (a
 *       Content-Security-Policy of {@code 'self'}). Sessions live in the replica that signed the caller in: with
 *       several replicas the chart routes a browser to the same one (sticky sessions, see helm/).</li>
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

    static HttpSecurity configure(HttpSecurity http, UserDetailsService users, ConsoleCredentialSignIn credentials)
            throws Exception {
        return http.securityMatcher("/console", "/console/**", "/webjars/**")
                .userDetailsService(users)
                .securityContext(context -> context.securityContextRepository(credentials.sessions()))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(LOGIN_PAGE, "/console/session", "/console/assets/**", "/webjars/**").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage(LOGIN_PAGE).loginProcessingUrl("/console/login")
                        .defaultSuccessUrl("/console/", true).failureUrl(LOGIN_PAGE + "?error").permitAll())
                .with(credentials, c -> { })
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
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
                new SessionContexts(false));
    }

    /** The console's own: the signed-in caller kept in the session (and in the request while it lasts). */
    static SecurityContextRepository signInSessions() {
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
                new SessionContexts(true));
    }

    /**
     * The signed-in callers of the console, in the HTTP session. A caller signed in with a JWT is signed out when the
     * token expires: the session holds the expiry ({@link ConsoleCredentialSignIn.TokenCaller}), and a context past it
     * loads as empty. The API's chain reads these sessions but never writes one ({@code saves} false).
     */
    static final class SessionContexts implements SecurityContextRepository {

        private final HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
        private final boolean saves;

        SessionContexts(boolean saves) {
            this.saves = saves;
            sessions.setAllowSessionCreation(saves);
        }

        @Override
        public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
            DeferredSecurityContext stored = sessions.loadDeferredContext(request);
            return new DeferredSecurityContext() {
                @Override
                public SecurityContext get() {
                    return isGenerated() ? SecurityContextHolder.createEmptyContext() : stored.get();
                }

                @Override
                public boolean isGenerated() {
                    return stored.isGenerated() || expired(stored.get().getAuthentication());
                }
            };
        }

        @Override
        @SuppressWarnings("deprecation")
        public SecurityContext loadContext(org.springframework.security.web.context.HttpRequestResponseHolder holder) {
            SecurityContext context = sessions.loadContext(holder);
            return expired(context.getAuthentication()) ? SecurityContextHolder.createEmptyContext() : context;
        }

        @Override
        public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
            if (saves) {
                sessions.saveContext(context, request, response);
            }
        }

        @Override
        public boolean containsContext(HttpServletRequest request) {
            return sessions.containsContext(request);
        }

        private static boolean expired(Authentication authentication) {
            return authentication instanceof ConsoleCredentialSignIn.TokenCaller caller && caller.expired();
        }
    }
}
