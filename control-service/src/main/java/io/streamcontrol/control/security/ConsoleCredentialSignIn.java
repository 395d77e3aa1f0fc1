package io.streamcontrol.control.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The console's sign-in with an API key or a bearer token (a JWT of the configured issuer), beside the password form,
 * for callers that have no password (a deployment with API keys or JWTs only): {@code POST }{@value #URL} with the
 * form field {@value #PARAMETER} and the session's CSRF token. The credential is checked once, by the same providers
 * as the API's {@code X-API-Key} and {@code Authorization: Bearer} headers, and the session then holds the caller and
 * role as after a password sign-in (the same session handling). A session signed in with a JWT ends when the token
 * expires ({@link TokenCaller}, {@link ConsoleSessions.SessionContexts}).
 */
final class ConsoleCredentialSignIn extends AbstractHttpConfigurer<ConsoleCredentialSignIn, HttpSecurity> {

    static final String URL = "/console/login/credential";
    static final String PARAMETER = "credential";

    private static final Set<String> ROLES = Set.of(SecurityProperties.Role.VIEWER.authority(),
            SecurityProperties.Role.OPERATOR.authority());

    private final ApiKeys apiKeys;
    private final AuthenticationProvider jwt;
    private final SecurityContextRepository sessions;

    /**
     * @param jwt the API's JWT provider, or null when the service accepts no JWTs
     * @param sessions where the console's chain keeps its signed-in callers
     */
    ConsoleCredentialSignIn(ApiKeys apiKeys, AuthenticationProvider jwt, SecurityContextRepository sessions) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.sessions = sessions;
    }

    SecurityContextRepository sessions() {
        return sessions;
    }

    @Override
    public void configure(HttpSecurity http) {
        List<AuthenticationProvider> providers = new ArrayList<>(List.of(apiKeys));
        if (jwt != null) {
            providers.add(jwt);
        }
        Filter filter = new Filter(new ProviderManager(providers), jwt != null);
        // the password form's handling of the session at sign-in (a new session id against fixation)
        SessionAuthenticationStrategy renewal = http.getSharedObject(SessionAuthenticationStrategy.class);
        if (renewal != null) {
            filter.setSessionAuthenticationStrategy(renewal);
        }
        filter.setSecurityContextRepository(sessions);
        SimpleUrlAuthenticationSuccessHandler success = new SimpleUrlAuthenticationSuccessHandler("/console/");
        success.setAlwaysUseDefaultTargetUrl(true);
        filter.setAuthenticationSuccessHandler(success);
        filter.setAuthenticationFailureHandler(
                new SimpleUrlAuthenticationFailureHandler(ConsoleSessions.LOGIN_PAGE + "?error=credential"));
        http.addFilterBefore(postProcess(filter), UsernamePasswordAuthenticationFilter.class);
    }

    /**
     * A caller signed in with a JWT, as the session keeps it: its name and roles until the token expires. (Spring
     * Security never keeps a bearer token's own authentication in a session: it is marked transient.)
     */
    static final class TokenCaller extends AbstractAuthenticationToken {

        private final String name;
        private final Instant expiresAt;

        TokenCaller(String name, Collection<? extends GrantedAuthority> roles, Instant expiresAt) {
            super(roles);
            this.name = name;
            this.expiresAt = expiresAt;
            setAuthenticated(true);
        }

        boolean expired() {
            return expiresAt != null && !Instant.now().isBefore(expiresAt);
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TokenCaller caller && super.equals(caller)
                    && Objects.equals(expiresAt, caller.expiresAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(super.hashCode(), expiresAt);
        }
    }

    private static final class Filter extends AbstractAuthenticationProcessingFilter {

        private final boolean jwt;

        Filter(ProviderManager providers, boolean jwt) {
            super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, URL), providers);
            this.jwt = jwt;
        }

        @Override
        public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response) {
            String credential = request.getParameter(PARAMETER);
            credential = credential == null ? "" : credential.strip();
            if (credential.regionMatches(true, 0, "Bearer ", 0, 7)) {
                credential = credential.substring(7).strip();
            }
            if (credential.isEmpty()) {
                throw new BadCredentialsException("No API key or token");
            }
            Authentication apiKey = new PreAuthenticatedAuthenticationToken(ApiKeys.HEADER, credential);
            Authentication caller;
            if (jwt && looksLikeJwt(credential)) {
                try {
                    caller = getAuthenticationManager().authenticate(new BearerTokenAuthenticationToken(credential));
                } catch (AuthenticationException notAToken) {
                    caller = getAuthenticationManager().authenticate(apiKey);
                }
            } else {
                caller = getAuthenticationManager().authenticate(apiKey);
            }
            // the console shows viewers and operators; a token without either role could read nothing
            if (caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).noneMatch(ROLES::contains)) {
                throw new BadCredentialsException(caller.getName() + " has neither role viewer nor operator");
            }
            if (caller instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
                TokenCaller signedIn = new TokenCaller(token.getName(), token.getAuthorities(),
                        token.getToken().getExpiresAt());
                // the decoder allows for clock skew: such a session would end at once
                if (signedIn.expired()) {
                    throw new CredentialsExpiredException("The token has expired");
                }
                return signedIn;
            }
            return caller;
        }

        /** A compact JWS: three base64url parts (an API key may look like one too: it is tried as a key after). */
        private static boolean looksLikeJwt(String credential) {
            return credential.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
        }
    }
}
