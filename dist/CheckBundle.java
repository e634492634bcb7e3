import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads a Maven Central bundle (the zip the Central Portal takes as an upload) and fails when it
 * lacks something Central asks for. Run with the JDK alone:
 *
 * <pre>
 * java dist/CheckBundle.java dist/target/kontrast-0.1.0-bundle.zip \
 *     --group io.github.kontrast --version 0.1.0 \
 *     --artifacts kontrast-parent,kontrast-bom,kontrast-losses,kontrast-dsl \
 *     [--release] [--require-signatures]
 * </pre>
 *
 * What it checks, as Central's publishing requirements state them:
 * <ul>
 *   <li>layout: every file lies at {@code group/path/artifactId/version/artifactId-version[-classifier].ext};
 *   <li>the bundle holds exactly the artifacts named by {@code --artifacts}, each with a pom;
 *   <li>an artifact whose packaging is not {@code pom} has its jar, a {@code -sources.jar} and a
 *       {@code -javadoc.jar}, each a readable archive with content of its kind (classes, sources,
 *       an index.html);
 *   <li>every file has an {@code .md5} and a {@code .sha1} whose value matches the file;
 *   <li>every pom has literal coordinates that match its path, and name, description, url, a
 *       licence with a name, a developer with a name, and scm url and connection: its own or
 *       inherited from a parent pom that is in the bundle;
 *   <li>{@code --release}: the version is not a SNAPSHOT (Central refuses those);
 *       {@code --require-signatures}: every file has an {@code .asc}. Without these two flags both
 *       are reported as notes: CI builds snapshots and has no signing key.
 * </ul>
 * Exit status 0 when nothing is missing, 1 with the list of problems otherwise, 2 on bad usage.
 */
public final class CheckBundle {
  private static final List<String> CHECKSUMS = List.of("md5", "sha1");
  private static final List<String> SIDE_FILES = List.of(".md5", ".sha1", ".sha256", ".sha512", ".asc");

  private final Map<String, byte[]> files;
  private final String groupPath;
  private final String version;
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Element> poms = new TreeMap<>();

  private CheckBundle(Map<String, byte[]> files, String group, String version) {
    this.files = files;
    this.groupPath = group.replace('.', '/');
    this.version = version;
  }

  public static void main(String[] args) throws Exception {
    String zip = null, group = null, version = null;
    Set<String> artifacts = new LinkedHashSet<>();
    boolean release = false, signatures = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--group" -> group = args[++i];
        case "--version" -> version = args[++i];
        case "--artifacts" -> artifacts.addAll(Arrays.asList(args[++i].split(",")));
        case "--release" -> release = true;
        case "--require-signatures" -> signatures = true;
        default -> {
          if (args[i].startsWith("--") || zip != null) usage("unknown argument " + args[i]);
          zip = args[i];
        }
      }
    }
    if (zip == null || group == null || version == null || artifacts.isEmpty()) {
      usage("the bundle, --group, --version and --artifacts are required");
    }
    Path path = Path.of(zip);
    if (!Files.isRegularFile(path)) usage("no bundle at " + path);

    CheckBundle check = new CheckBundle(read(path), group, version);
    check.run(artifacts, release, signatures);
    System.out.printf("bundle %s: %d files%n", path, check.files.size());
    check.notes.forEach(n -> System.out.println("  note: " + n));
    if (check.problems.isEmpty()) {
      System.out.printf("bundle OK: %s, each with the jars, pom and checksums Central asks for%n", String.join(", ", artifacts));
      return;
    }
    System.out.printf("bundle INCOMPLETE, %d problem(s):%n", check.problems.size());
    check.problems.forEach(p -> System.out.println("  - " + p));
    System.exit(1);
  }

  private static void usage(String why) {
    System.err.println("CheckBundle: " + why);
    System.err.println("usage: java CheckBundle.java BUNDLE.zip --group G --version V --artifacts a,b,c [--release] [--require-signatures]");
    System.exit(2);
  }

  private static Map<String, byte[]> read(Path zip) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (!e.isDirectory()) files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  private void run(Set<String> expected, boolean release, boolean requireSignatures) throws Exception {
    if (files.isEmpty()) {
      problems.add("the bundle is empty");
      return;
    }
    if (version.endsWith("-SNAPSHOT")) {
      if (release) problems.add("version " + version + " is a SNAPSHOT: Central accepts only release versions");
      else notes.add("version " + version + " is a SNAPSHOT: set a release version (mvn versions:set -DnewVersion=... -DprocessAllModules) before uploading");
    }

    Set<String> present = new TreeSet<>();
    for (String name : files.keySet()) {
      String artifactId = checkLayout(name);
      if (artifactId != null) present.add(artifactId);
    }
    for (String a : expected) if (!present.contains(a)) problems.add("artifact " + a + " is missing from the bundle");
    for (String a : present) if (!expected.contains(a)) problems.add("artifact " + a + " is in the bundle but not published (not in --artifacts)");

    checkSideFiles(requireSignatures);
    for (String a : present) {
      String pom = dir(a) + a + "-" + version + ".pom";
      if (!files.containsKey(pom)) {
        problems.add(a + ": no pom (" + pom + ")");
        continue;
      }
      poms.put(a, parse(pom));
    }
    for (Map.Entry<String, Element> e : poms.entrySet()) checkPom(e.getKey(), e.getValue());
  }

  private String dir(String artifactId) {
    return groupPath + "/" + artifactId + "/" + version + "/";
  }

  /** The artifactId of a well-placed file, or null after recording why it is misplaced. */
  private String checkLayout(String name) {
    if (!name.startsWith(groupPath + "/")) {
      problems.add(name + ": outside " + groupPath + "/");
      return null;
    }
    String[] parts = name.substring(groupPath.length() + 1).split("/");
    if (parts.length != 3) {
      problems.add(name + ": expected " + groupPath + "/ARTIFACT/VERSION/FILE");
      return null;
    }
    String artifactId = parts[0];
    if (!parts[1].equals(version)) problems.add(name + ": version folder " + parts[1] + ", expected " + version);
    if (!parts[2].startsWith(artifactId + "-" + version)) {
      problems.add(name + ": file name should start with " + artifactId + "-" + version);
    }
    return artifactId;
  }

  private void checkSideFiles(boolean requireSignatures) throws NoSuchAlgorithmException {
    int unsigned = 0;
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String name = f.getKey();
      String side = SIDE_FILES.stream().filter(name::endsWith).findFirst().orElse(null);
      if (side != null) {
        String data = name.substring(0, name.length() - side.length());
        if (!files.containsKey(data)) problems.add(name + ": no " + data + " beside it");
        continue;
      }
      for (String algorithm : CHECKSUMS) {
        byte[] sum = files.get(name + "." + algorithm);
        if (sum == null) {
          problems.add(name + ": no ." + algorithm);
          continue;
        }
        String want = hex(f.getValue(), algorithm.equals("md5") ? "MD5" : "SHA-1");
        String[] tokens = new String(sum, java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+");
        if (!tokens[0].equalsIgnoreCase(want)) problems.add(name + "." + algorithm + ": says " + tokens[0] + ", the file's is " + want);
      }
      if (!files.containsKey(name + ".asc")) unsigned++;
    }
    if (unsigned > 0) {
      String msg = unsigned + " file(s) without an .asc signature";
      if (requireSignatures) problems.add(msg);
      else notes.add(msg + ": sign them (gpg --armor --detach-sign) before uploading; no key is used here");
    }
  }

  private Element parse(String pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(files.get(pom)));
    return doc.getDocumentElement();
  }

  private void checkPom(String artifactId, Element pom) throws IOException {
    String where = artifactId + " pom";
    String packaging = text(pom, "packaging");
    if (packaging == null) packaging = "jar";

    if (!artifactId.equals(text(pom, "artifactId"))) problems.add(where + ": artifactId is " + text(pom, "artifactId"));
    String group = inherited(pom, "groupId");
    if (!groupPath.equals(group == null ? null : group.replace('.', '/'))) problems.add(where + ": groupId " + group + " does not match the path " + groupPath);
    String v = inherited(pom, "version");
    if (!version.equals(v)) problems.add(where + ": version " + v + ", expected " + version);
    for (String c : new String[] {"groupId", "artifactId", "version"}) {
      String value = text(pom, c);
      if (value != null && value.contains("${")) problems.add(where + ": " + c + " is not literal (" + value + ")");
    }

    for (String field : new String[] {"name", "description", "url"}) {
      if (inherited(pom, field) == null) problems.add(where + ": no <" + field + ">");
    }
    if (inherited(pom, "licenses/license/name") == null) problems.add(where + ": no <licenses><license><name>");
    if (inherited(pom, "developers/developer/name") == null) problems.add(where + ": no <developers><developer><name>");
    if (inherited(pom, "scm/url") == null) problems.add(where + ": no <scm><url>");
    if (inherited(pom, "scm/connection") == null) problems.add(where + ": no <scm><connection>");

    if (!packaging.equals("pom")) {
      String base = dir(artifactId) + artifactId + "-" + version;
      checkArchive(base + ".jar", "main jar", ".class");
      checkArchive(base + "-sources.jar", "sources jar", ".java", ".kt");
      checkArchive(base + "-javadoc.jar", "javadoc jar", "index.html");
    }
  }

  private void checkArchive(String name, String what, String... mustContain) throws IOException {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      problems.add(name + ": missing (" + what + ")");
      return;
    }
    int entries = 0;
    boolean found = false;
    try (InputStream in = new ByteArrayInputStream(bytes); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries++;
        for (String s : mustContain) if (e.getName().endsWith(s)) found = true;
      }
    } catch (IOException e) {
      problems.add(name + ": not a readable archive (" + e.getMessage() + ")");
      return;
    }
    if (entries == 0) problems.add(name + ": empty or not an archive (" + what + ")");
    else if (!found) problems.add(name + ": no " + String.join(" or ", mustContain) + " inside (" + what + ")");
  }

  /** The pom's own value at path, else its parent's when that parent is in the bundle. */
  private String inherited(Element pom, String path) {
    for (Element p = pom; p != null; p = parentOf(p)) {
      String value = text(p, path);
      if (value != null) return value;
      if (path.equals("groupId") || path.equals("version")) {
        String fromParentRef = text(p, "parent/" + path);
        if (fromParentRef != null) return fromParentRef;
      }
    }
    return null;
  }

  private Element parentOf(Element pom) {
    String parentArtifact = text(pom, "parent/artifactId");
    String parentGroup = text(pom, "parent/groupId");
    if (parentArtifact == null || parentGroup == null || !parentGroup.replace('.', '/').equals(groupPath)) return null;
    return poms.get(parentArtifact);
  }

  /** Trimmed text of the first element at a slash-separated path of direct children, or null. */
  private static String text(Element root, String path) {
    Element e = root;
    for (String step : path.split("/")) {
      Element next = null;
      for (Node n = e.getFirstChild(); n != null && next == null; n = n.getNextSibling()) {
        if (n instanceof Element child && child.getTagName().equals(step)) next = child;
      }
      if (next == null) return null;
      e = next;
    }
    String t = e.getTextContent().trim();
    return t.isEmpty() ? null : t;
  }

  private static String hex(byte[] bytes, String algorithm) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }
}
