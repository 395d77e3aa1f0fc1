package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyDictionaryTest {

    @Test
    void keysAreNumberedInTheOrderFirstSeenAndHeldOnce() {
        KeyDictionary keys = new KeyDictionary();
        String first = new String("P0001");
        assertThat(keys.id(first)).isZero();
        assertThat(keys.id("P0002")).isEqualTo(1);
        String again = new String("P0001");
        assertThat(keys.id(again)).as("an equal string").isZero();
        assertThat(keys.key(0)).isSameAs(first);
        assertThat(keys.find("P0002")).isEqualTo(1);
        assertThat(keys.find("P0003")).isEqualTo(KeyDictionary.ABSENT);
        assertThat(keys.size()).as("find numbers nothing").isEqualTo(2);
    }
}
