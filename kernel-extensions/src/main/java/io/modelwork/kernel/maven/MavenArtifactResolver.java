package io.modelwork.kernel.maven;

import io.modelwork.core.ModelworkException;
import io.modelwork.kernel.ArtifactResolver;
import org.apache.maven.model.Model;
import org.apache.maven.model.interpolation.ModelInterpolator;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.building.SettingsBuildingResult;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.Authentication;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link ArtifactResolver} on Maven Resolver 2 with Maven 3's standard setup ({@code maven-resolver-supplier-mvn3}:
 * the repository system, and the session defaults Maven itself uses for scopes, exclusions, optional dependencies and
 * version conflicts), configured from the user's settings.xml like {@code mvn} is: local repository
 * ({@code -Dmaven.repo.local} wins), offline flag, mirrors, proxies, server credentials (plain text only) and the
 * repositories of active profiles, plus Maven's central repository as declared in Maven's own super POM.
 *
 * <p>Offline-friendly: with {@code <offline>true</offline>}, {@code %maven --offline} or artifacts that are already in
 * the local repository (downloaded from a repository of the same id, or installed locally), nothing is fetched.
 * Loaded by {@code MavenMagic} in its own class loader; the repository system is built once per kernel.
 */
public final class MavenArtifactResolver implements ArtifactResolver {
    private RepositorySystem system;

    private synchronized RepositorySystem system() {
        if (system == null) system = new RepositorySystemSupplier().get();
        return system;
    }

    @Override
    public Result resolve(List<String> coordinates, Path settingsFile, boolean offlineFlag, Consumer<String> log) {
        String where = "%maven " + String.join(" ", coordinates);
        Settings settings = settings(settingsFile, where);
        Path localRepo = localRepository(settings);
        boolean offline = offlineFlag || settings.isOffline();
        RepositorySystem sys = system();
        RepositorySystemSession.SessionBuilder builder = new SessionBuilderSupplier(sys).get()
                .withLocalRepositoryBaseDirectories(localRepo)
                .setOffline(offline)
                .setSystemProperties(System.getProperties())
                .setConfigProperty(ConfigurationProperties.CONNECT_TIMEOUT, 15_000)
                .setConfigProperty(ConfigurationProperties.REQUEST_TIMEOUT, 60_000)
                .setMirrorSelector(mirrors(settings))
                .setProxySelector(proxies(settings))
                .setAuthenticationSelector(servers(settings))
                .setTransferListener(new AbstractTransferListener() {
                    @Override
                    public void transferSucceeded(TransferEvent event) {
                        log.accept("Downloaded " + event.getResource().getRepositoryUrl() + event.getResource().getResourceName());
                    }
                });
        try (RepositorySystemSession.CloseableSession session = builder.build()) {
            List<RemoteRepository> repos = sys.newResolutionRepositories(session, repositories(settings, where));
            CollectRequest collect = new CollectRequest();
            for (String c : coordinates) {
                DefaultArtifact a;
                try {
                    a = new DefaultArtifact(c);
                } catch (IllegalArgumentException e) {
                    throw new ModelworkException("Not Maven coordinates: " + c, where,
                            "write group:artifact[:extension[:classifier]]:version, e.g. org.apache.commons:commons-text:1.12.0");
                }
                collect.addDependency(new Dependency(a, "runtime"));
            }
            collect.setRepositories(repos);
            String tried = describe(repos, localRepo, offline);
            DependencyResult result;
            try {
                result = sys.resolveDependencies(session, new DependencyRequest(collect, DependencyFilterUtils.classpathFilter("runtime")));
            } catch (DependencyResolutionException e) {
                throw failure(coordinates, e, tried, offline, where);
            }
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult ar : result.getArtifactResults()) {
                Path p = ar.getArtifact() == null ? null : ar.getArtifact().getPath();
                if (p != null && p.toString().endsWith(".jar")) jars.add(p);
            }
            return new Result(jars, tried);
        }
    }

    private static ModelworkException failure(List<String> coords, DependencyResolutionException e, String tried,
                                              boolean offline, String where) {
        Set<String> missing = new LinkedHashSet<>();
        if (e.getResult() != null) {
            for (ArtifactResult ar : e.getResult().getArtifactResults())
                if (!ar.isResolved() && ar.getRequest() != null) missing.add(ar.getRequest().getArtifact().toString());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String what = "Could not resolve " + String.join(", ", coords)
                + (missing.isEmpty() ? "" : " (missing: " + String.join(", ", missing) + ")") + ": "
                + firstLine(root.getMessage() == null ? e.getMessage() : root.getMessage());
        String fix = offline
                ? "the session is offline (settings.xml <offline>true</offline> or --offline) and the artifact is not in "
                + "the local repository: run %maven once while online, or fetch it with "
                + "mvn dependency:get -Dartifact=" + coords.get(0) + ", and check the coordinates"
                : "check group:artifact:version (spelling, the version exists), the network and the proxy in "
                + "~/.m2/settings.xml; for an artifact outside these repositories add its repository to an active "
                + "<profile> (or a <mirror>) in ~/.m2/settings.xml, or pass --settings FILE";
        return new ModelworkException(what, where + "; tried " + tried, fix, e);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static String describe(List<RemoteRepository> repos, Path localRepo, boolean offline) {
        StringBuilder sb = new StringBuilder("local repository ").append(localRepo);
        if (offline) sb.append(", offline (no remote repository)");
        else for (RemoteRepository r : repos) {
            sb.append(", ").append(r.getId()).append(" (").append(r.getUrl()).append(')');
            if (!r.getMirroredRepositories().isEmpty()) {
                List<String> ids = new ArrayList<>();
                r.getMirroredRepositories().forEach(m -> ids.add(m.getId()));
                sb.append(" mirror of ").append(String.join(", ", ids));
            }
        }
        return sb.toString();
    }

    // ---- settings -----------------------------------------------------------------------------------------------

    private static Settings settings(Path userFile, String where) {
        DefaultSettingsBuildingRequest req = new DefaultSettingsBuildingRequest();
        Path user = userFile != null ? userFile : Path.of(System.getProperty("user.home"), ".m2", "settings.xml");
        if (Files.isRegularFile(user)) req.setUserSettingsFile(user.toFile());
        Path global = globalSettings();
        if (global != null) req.setGlobalSettingsFile(global.toFile());
        req.setSystemProperties(System.getProperties());
        try {
            SettingsBuildingResult r = new DefaultSettingsBuilderFactory().newInstance().build(req);
            return r.getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new ModelworkException("The Maven settings could not be read: " + firstLine(e.getMessage()),
                    where + " (settings " + user + (global == null ? "" : ", " + global) + ")",
                    "fix the XML in the settings file (mvn help:effective-settings shows the same error)", e);
        }
    }

    /** {@code $MAVEN_HOME/conf/settings.xml} (or M2_HOME), else the Debian package's, when present. */
    private static Path globalSettings() {
        for (String env : new String[]{"MAVEN_HOME", "M2_HOME"}) {
            String home = System.getenv(env);
            if (home != null && Files.isRegularFile(Path.of(home, "conf", "settings.xml"))) return Path.of(home, "conf", "settings.xml");
        }
        Path debian = Path.of("/usr/share/maven/conf/settings.xml");
        return Files.isRegularFile(debian) ? debian : null;
    }

    private static Path localRepository(Settings s) {
        String prop = System.getProperty("maven.repo.local");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        if (s.getLocalRepository() != null && !s.getLocalRepository().isBlank()) return Path.of(s.getLocalRepository());
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Maven's central repository from Maven's own super POM, then the repositories of active settings profiles. */
    private static List<RemoteRepository> repositories(Settings s, String where) {
        List<RemoteRepository> out = new ArrayList<>();
        try (InputStream in = MavenArtifactResolver.class.getClassLoader().getResourceAsStream("org/apache/maven/model/pom-4.0.0.xml")) {
            if (in == null) throw new IllegalStateException("the super POM is missing from maven-model-builder");
            Model superPom = new MavenXpp3Reader().read(in);
            for (org.apache.maven.model.Repository r : superPom.getRepositories())
                out.add(new RemoteRepository.Builder(r.getId(), "default", interpolate(r.getUrl()))
                        .setSnapshotPolicy(new RepositoryPolicy(false, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_WARN))
                        .build());
        } catch (Exception e) {
            throw new ModelworkException("Maven's default repository could not be read (" + e + ")", where,
                    "reinstall the kernel (kernel/lib/maven must hold maven-model-builder)", e);
        }
        Set<String> active = new LinkedHashSet<>(s.getActiveProfiles());
        for (Profile p : s.getProfiles()) {
            boolean on = active.contains(p.getId()) || (p.getActivation() != null && p.getActivation().isActiveByDefault());
            if (!on) continue;
            for (Repository r : p.getRepositories()) {
                RemoteRepository.Builder b = new RemoteRepository.Builder(r.getId(), "default", r.getUrl());
                if (r.getReleases() != null) b.setReleasePolicy(new RepositoryPolicy(r.getReleases().isEnabled(), null, null));
                if (r.getSnapshots() != null) b.setSnapshotPolicy(new RepositoryPolicy(r.getSnapshots().isEnabled(), null, null));
                out.add(b.build());
            }
        }
        return out;
    }

    /** Maven 3.10's super POM writes central's URL as {@code ${maven.repo.central}}: Maven's own default, or the property. */
    private static String interpolate(String url) {
        String key = "${" + ModelInterpolator.MAVEN_REPO_CENTRAL_KEY + "}";
        if (url == null || !url.contains(key)) return url;
        return url.replace(key, System.getProperty(ModelInterpolator.MAVEN_REPO_CENTRAL_KEY, ModelInterpolator.DEFAULT_MAVEN_REPO_CENTRAL_URL));
    }

    private static DefaultMirrorSelector mirrors(Settings s) {
        DefaultMirrorSelector sel = new DefaultMirrorSelector();
        for (Mirror m : s.getMirrors())
            sel.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(), m.getMirrorOfLayouts());
        return sel;
    }

    private static DefaultProxySelector proxies(Settings s) {
        DefaultProxySelector sel = new DefaultProxySelector();
        for (org.apache.maven.settings.Proxy p : s.getProxies()) {
            if (!p.isActive()) continue;
            Authentication auth = p.getUsername() == null ? null
                    : new AuthenticationBuilder().addUsername(p.getUsername()).addPassword(p.getPassword()).build();
            sel.add(new Proxy(p.getProtocol(), p.getHost(), p.getPort(), auth), p.getNonProxyHosts());
        }
        return sel;
    }

    private static DefaultAuthenticationSelector servers(Settings s) {
        DefaultAuthenticationSelector sel = new DefaultAuthenticationSelector();
        for (Server srv : s.getServers()) {
            if (srv.getUsername() == null) continue;
            sel.add(srv.getId(), new AuthenticationBuilder().addUsername(srv.getUsername()).addPassword(srv.getPassword()).build());
        }
        return sel;
    }
}
