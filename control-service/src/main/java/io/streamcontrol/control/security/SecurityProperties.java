package io.streamcontrol.control.security;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API. There is no default user and no default password: without users, API keys or a JWT issuer
 * ({@code spring.security.oauth2.resourceserver.jwt.*}) the service refuses to start.
 *
 * @param users HTTP basic users; passwords carry their encoding, e.g. {@code {bcrypt}$2a$10$...} (or {@code {noop}} for
 *     a local demo)
 * @param apiKeys API keys, sent in the {@code X-API-Key} header
 * @param jwt how roles are read from a JWT when OAuth2 is configured
 */
@ConfigurationProperties(prefix = "streamcontrol.security")
public record SecurityProperties(List<User> users, List<ApiKey> apiKeys, @DefaultValue Jwt jwt) {

    /** {@code viewer} reads everything; {@code operator} also runs the jobs' lifecycle. */
    public enum Role {
        VIEWER, OPERATOR;

        public String authority() {
            return "ROLE_" + name().toLowerCase(Locale.ROOT);
        }
    }

    public record User(String name, String password, Role role) {
        public User {
            require(name, "streamcontrol.security.users[].name");
            require(password, "streamcontrol.security.users[" + name + "].password");
            require(role, "streamcontrol.security.users[" + name + "].role");
            if (!password.startsWith("{")) {
                throw new IllegalArgumentException("streamcontrol.security.users[" + name + "].password must name its"
                        + " encoding, e.g. {bcrypt}$2a$10$... (or {noop}secret for a local demo)");
            }
        }
    }

    public record ApiKey(String name, String key, Role role) {
        public ApiKey {
            require(name, "streamcontrol.security.api-keys[].name");
            require(key, "streamcontrol.security.api-keys[" + name + "].key");
            require(role, "streamcontrol.security.api-keys[" + name + "].role");
            if (key.length() < 16) {
                throw new IllegalArgumentException("streamcontrol.security.api-keys[" + name + "].key is shorter than"
                        + " 16 characters");
            }
        }
    }

    /** @param rolesClaim the claim holding the caller's roles ({@code viewer}, {@code operator}) */
    public record Jwt(@DefaultValue("roles") String rolesClaim) {
    }

    public SecurityProperties {
        users = users == null ? List.of() : List.copyOf(users);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    private static void require(Object value, String property) {
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(property + " is required");
        }
    }
}
