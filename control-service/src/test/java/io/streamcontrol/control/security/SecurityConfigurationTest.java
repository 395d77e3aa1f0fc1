package io.streamcontrol.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;

class SecurityConfigurationTest {

    private final SecurityConfiguration configuration = new SecurityConfiguration();

    @Test
    void aLoginLeavesTheConfiguredPasswordAsItIs() {
        UserDetailsService users = configuration.users(new SecurityProperties(List.of(new SecurityProperties.User(
                "alice", "{noop}alice-secret", SecurityProperties.Role.OPERATOR)), List.of(), null));
        assertThat(users).as("no password upgrade (a bcrypt check on every later request)")
                .isNotInstanceOf(UserDetailsPasswordService.class);

        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(configuration.passwordEncoder());
        assertThat(provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("alice", "alice-secret"))
                .isAuthenticated()).isTrue();
        assertThat(users.loadUserByUsername("alice").getPassword()).isEqualTo("{noop}alice-secret");
    }
}
