package io.streamcontrol.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

@SpringBootTest
class ControlServiceApplicationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void contextStarts() {
        assertThat(context.getBeanDefinitionNames()).isNotEmpty();
    }
}
