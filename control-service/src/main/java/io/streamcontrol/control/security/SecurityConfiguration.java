package io.streamcontrol.control.security;

import io.streamcontrol.control.system.Problems;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/**} call is authenticated (HTTP basic, an API key, or a JWT when OAuth2 is configured); reads need
 * role {@code viewer}, everything else {@code operator} (which includes viewer). Health, info, Prometheus' scrape,
 * Swagger UI and the contract are open; health shows its details to authenticated callers only.
 *
 * <p>The web console ({@code /console/}) signs in with the same users through a form, or with an API key or a JWT
 * ({@link ConsoleCredentialSignIn}), and keeps a session; its pages
 * call the same {@code /api/**} with the session cookie, which the API accepts (read, never created there), and a
 * mutating call that is authenticated by the session alone must carry the session's CSRF token ({@link ConsoleSessions}).
 */
@Configuration
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    static final String[] OPEN = {"/actuator/health", "/actuator/health/**", "/actuator/info",
        "/actuator/prometheus", "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**",
        "/openapi.yaml", "/error"};

    /** The console's pages and assets: sign-in (password, API key or JWT), a session, CSRF on every form, sign-out. */
    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http, UserDetailsService users, SecurityProperties properties,
            ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        JwtAuthenticationProvider jwt = null;
        if (decoder != null) {
            jwt = new JwtAuthenticationProvider(decoder);
            jwt.setJwtAuthenticationConverter(jwtRoles(properties));
        }
        return ConsoleSessions.configure(http, users, new ConsoleCredentialSignIn(new ApiKeys(properties.apiKeys()),
                jwt, ConsoleSessions.signInSessions())).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties,
            UserDetailsService users, ObjectProvider<JwtDecoder> jwtDecoder, JsonMapper json) throws Exception {
        boolean jwt = jwtDecoder.getIfAvailable() != null;
        if (properties.users().isEmpty() && properties.apiKeys().isEmpty() && !jwt) {
            throw new IllegalStateException("No way to authenticate API callers: configure streamcontrol.security.users,"
                    + " streamcontrol.security.api-keys or spring.security.oauth2.resourceserver.jwt.issuer-uri"
                    + " (there is no default user)");
        }
        ProblemResponses problems = new ProblemResponses(jwt, new Problems(json));
        ApiKeys apiKeys = new ApiKeys(properties.apiKeys());
        AuthenticationFilter apiKeyFilter = new AuthenticationFilter(new ProviderManager(apiKeys), apiKeys);
        apiKeyFilter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        apiKeyFilter.setSuccessHandler((request, response, authentication) -> {
        });

        http.csrf(csrf -> csrf.requireCsrfProtectionMatcher(ConsoleSessions::authenticatedBySessionOnly))
                .securityContext(context -> context.securityContextRepository(ConsoleSessions.readOnlySessions()))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .userDetailsService(users)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .addFilterBefore(apiKeyFilter, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(OPEN).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole("viewer")
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole("viewer")
                        .requestMatchers("/api/**").hasRole("operator")
                        .anyRequest().authenticated());
        if (jwt) {
            http.oauth2ResourceServer(oauth -> oauth.authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(j -> j.jwtAuthenticationConverter(jwtRoles(properties))));
        }
        return http.build();
    }

    /** A JWT's roles ({@code viewer}, {@code operator}) from the configured claim. */
    private static JwtAuthenticationConverter jwtRoles(SecurityProperties properties) {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(properties.jwt().rolesClaim());
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }

    /** URLs the firewall refuses (encoded ';', '%', '//' ...) get a problem detail too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
        return new ProblemResponses(false, new Problems(json));
    }

    /** Refused calls become events (the audit log records them); Spring Security publishes none by default. */
    @Bean
    AuthorizationEventPublisher authorizationEventPublisher(ApplicationEventPublisher publisher) {
        return new SpringAuthorizationEventPublisher(publisher);
    }

    /**
     * No observations of Spring Security's own (a timer per filter chain, per authentication and per authorization,
     * started and stopped on every request): they cost about a fifth of the service's CPU per request in a profile
     * of the query API, and nothing reads them. Requests stay measured by {@code http.server.requests}.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy(SecurityProperties.Role.OPERATOR.authority() + " > "
                + SecurityProperties.Role.VIEWER.authority());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * The configured users only: defining this keeps Spring Boot from inventing a user with a generated password. A
     * plain lookup, not the manager itself: as a UserDetailsPasswordService the manager would have every login
     * re-encode a password not stored as bcrypt (a {noop} one) into bcrypt, in memory, and every later request with it
     * would pay a bcrypt check (about 80 ms of CPU).
     */
    @Bean
    UserDetailsService users(SecurityProperties properties) {
        List<UserDetails> users = properties.users().stream()
                .map(u -> User.withUsername(u.name()).password(u.password()).authorities(u.role().authority()).build())
                .map(UserDetails.class::cast)
                .toList();
        return new InMemoryUserDetailsManager(users)::loadUserByUsername;
    }
}
