// Reads kt's checkpoints the way MirrorMaker 2 users do: RemoteClusterUtils.translateOffsets against the
// target cluster. Compiled and run by test/integration/mirror-checkpoints.test.ts (javac at test time,
// classpath test/real-kafka/lib/*, which holds connect-mirror-client).
//
// Usage: TranslateOffsets <target bootstrap> <source alias> <group>...
// Prints one line per translated partition: group TAB topic TAB partition TAB offset, sorted.
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.mirror.RemoteClusterUtils;

public final class TranslateOffsets {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TranslateOffsets <target bootstrap> <source alias> <group>...");
      System.exit(2);
    }
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", args[0]);
    String sourceAlias = args[1];
    for (int i = 2; i < args.length; i++) {
      String group = args[i];
      Map<TopicPartition, OffsetAndMetadata> offsets =
          RemoteClusterUtils.translateOffsets(props, sourceAlias, group, Duration.ofSeconds(30));
      List<TopicPartition> partitions = new ArrayList<>(offsets.keySet());
      partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
      for (TopicPartition tp : partitions) {
        System.out.println(group + "\t" + tp.topic() + "\t" + tp.partition() + "\t" + offsets.get(tp).offset());
      }
    }
  }
}
