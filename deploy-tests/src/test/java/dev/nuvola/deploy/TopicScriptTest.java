package dev.nuvola.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nuvola.events.Topics;
import org.junit.jupiter.api.Test;

/** The topic script docker-compose.yml and the dev overlay run creates the contract's topics, as the contract says. */
class TopicScriptTest {
    private static final String SCRIPT = "deploy/overlays/dev/create-topics.sh";

    private static Set<String> words(String script, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"([^\"]*)\"$").matcher(script);
        assertThat(m.find()).as(variable + "=\"...\" in " + SCRIPT).isTrue();
        return new HashSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));
    }

    @Test
    void theScriptListsExactlyTheContractsTopicsAndCompactsExactlyItsStateTopics() {
        String script = Repo.read(SCRIPT);
        assertThat(words(script, "TOPICS")).isEqualTo(new HashSet<>(Topics.ALL));
        assertThat(words(script, "COMPACTED")).isEqualTo(Topics.COMPACTED);
        // Each topic's dead-letter topic is made beside it, named as the contract names it.
        assertThat(script).contains("create \"$topic" + Topics.DLQ_SUFFIX + "\"");
    }

    @Test
    void theScriptIsValidBash() {
        Repo.Result result = Repo.run(20, "bash", "-n", Repo.path(SCRIPT).toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }
}
