import Foundation
import OMSyncCommands
import Testing
import TestSupport
import Yams

/// `deploy/`: the manifests parse, and the command lines they run parse with omsync's real
/// argument parser (an option renamed in the code and not in a manifest fails here, not at 3 am).
@Suite struct DeployManifestTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: Project.path(path), encoding: .utf8)
    }

    /// Parses `arguments` as the root command does; returns the subcommand's type name.
    static func parsedCommand(_ arguments: [String]) throws -> String {
        String(describing: type(of: try OMSync.parseAsRoot(arguments)))
    }

    @Test func theCronJobRunsOneAccountsImportThatParses() throws {
        let document = try #require(try Yams.load(yaml: try Self.text("deploy/kubernetes/cronjob.yaml")) as? [String: Any])
        #expect(document["kind"] as? String == "CronJob")
        #expect(document["apiVersion"] as? String == "batch/v1")
        let spec = try #require(document["spec"] as? [String: Any])
        #expect(spec["concurrencyPolicy"] as? String == "Forbid")
        #expect((spec["schedule"] as? String)?.split(separator: " ").count == 5)
        let pod = try #require(((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])?["template"] as? [String: Any])
        let podSpec = try #require(pod["spec"] as? [String: Any])
        #expect(podSpec["restartPolicy"] as? String == "Never")
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        #expect(container["command"] as? [String] == ["/usr/local/bin/omsync"])
        let arguments = try #require(container["args"] as? [String])
        #expect(try Self.parsedCommand(arguments) == "ImportCommand")
        let account = try #require(arguments.firstIndex(of: "--account").map { arguments[$0 + 1] })
        let env = (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let prefix = "OMSYNC_" + account.uppercased().replacingOccurrences(of: "-", with: "_") + "_"
        #expect(Set(env) == [prefix + "API_ID", prefix + "API_KEY", "PGPASSWORD"], "credentials from Secrets only: \(env)")
        #expect(!arguments.joined(separator: " ").contains(":@") && !arguments.joined().lowercased().contains("password="))
        let port = try #require(arguments.firstIndex(of: "--metrics-port").map { arguments[$0 + 1] })
        let annotations = pod["metadata"].flatMap { ($0 as? [String: Any])?["annotations"] as? [String: Any] }
        #expect(annotations?["prometheus.io/port"] as? String == port)
        // A broken line fails: the parser really is the judge.
        #expect(throws: (any Error).self) { _ = try Self.parsedCommand(arguments + ["--no-such-option"]) }
    }

    @Test func theSystemdUnitRunsAnImportThatParses() throws {
        let service = try Self.text("deploy/systemd/omsync-import@.service")
        let exec = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let words = exec.dropFirst("ExecStart=".count).replacingOccurrences(of: "%i", with: "acme").split(separator: " ").map(String.init)
        #expect(words.first == "/usr/local/bin/omsync")
        #expect(try Self.parsedCommand(Array(words.dropFirst())) == "ImportCommand")
        #expect(service.contains("Type=oneshot") && service.contains("SuccessExitStatus=1 130"))
        let timer = try Self.text("deploy/systemd/omsync-import@.timer")
        #expect(timer.contains("OnCalendar=") && timer.contains("WantedBy=timers.target"))
    }

    @Test func theWatchDeploymentRunsOneWatcherThatParses() throws {
        let document = try #require(try Yams.load(yaml: try Self.text("deploy/kubernetes/watch-deployment.yaml")) as? [String: Any])
        #expect(document["kind"] as? String == "Deployment")
        #expect(document["apiVersion"] as? String == "apps/v1")
        let spec = try #require(document["spec"] as? [String: Any])
        #expect(spec["replicas"] as? Int == 1, "one watcher per account")
        #expect((spec["strategy"] as? [String: Any])?["type"] as? String == "Recreate", "never two at once during a rollout")
        let pod = try #require(spec["template"] as? [String: Any])
        let podSpec = try #require(pod["spec"] as? [String: Any])
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        #expect(container["command"] as? [String] == ["/usr/local/bin/omsync"])
        let arguments = try #require(container["args"] as? [String])
        #expect(try Self.parsedCommand(arguments) == "WatchCommand")
        #expect(!arguments.contains("--once"))
        let account = try #require(arguments.firstIndex(of: "--account").map { arguments[$0 + 1] })
        let env = (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let prefix = "OMSYNC_" + account.uppercased().replacingOccurrences(of: "-", with: "_") + "_"
        #expect(Set(env) == [prefix + "API_ID", prefix + "API_KEY", "PGPASSWORD"], "credentials from Secrets only: \(env)")
        let port = try #require(arguments.firstIndex(of: "--metrics-port").map { arguments[$0 + 1] })
        let annotations = pod["metadata"].flatMap { ($0 as? [String: Any])?["annotations"] as? [String: Any] }
        #expect(annotations?["prometheus.io/port"] as? String == port)
        // The inbox is written by the watcher (done/, failed/): not mounted read-only.
        let mounts = container["volumeMounts"] as? [[String: Any]] ?? []
        let inbox = try #require(mounts.first { $0["name"] as? String == "inbox" })
        #expect(inbox["readOnly"] as? Bool != true && arguments[1] == inbox["mountPath"] as? String)
        // The webhook token file is in a volume the watcher mounts (copied there with mode 0600 by the init container).
        let token = try #require(arguments.firstIndex(of: "--webhook-token-file").map { arguments[$0 + 1] })
        #expect(mounts.contains { token.hasPrefix(($0["mountPath"] as? String ?? "-") + "/") }, "\(token) is mounted")
        let initCommand = ((podSpec["initContainers"] as? [[String: Any]])?.first?["command"] as? [String])?.joined(separator: " ") ?? ""
        #expect(initCommand.contains("-m 0600") && initCommand.contains(token), "\(initCommand)")
        #expect(throws: (any Error).self) { _ = try Self.parsedCommand(arguments + ["--no-such-option"]) }
    }

    @Test func theSystemdWatchUnitRunsAWatcherThatParses() throws {
        let service = try Self.text("deploy/systemd/omsync-watch@.service")
        let exec = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let words = exec.dropFirst("ExecStart=".count).replacingOccurrences(of: "%i", with: "acme").split(separator: " ").map(String.init)
        #expect(words.first == "/usr/local/bin/omsync")
        #expect(try Self.parsedCommand(Array(words.dropFirst())) == "WatchCommand")
        #expect(!words.contains("--once"))
        #expect(service.contains("Type=simple") && service.contains("SuccessExitStatus=130") && service.contains("WantedBy=multi-user.target"))
    }

    @Test func theContainerFileInstallsTheBinaryAndTheRules() throws {
        let file = try Self.text("deploy/Containerfile")
        #expect(file.contains("ENTRYPOINT [\"/usr/local/bin/omsync\"]"))
        #expect(file.contains("--product omsync"))
        #expect(file.contains("COPY rules /etc/omsync/rules") && FileManager.default.fileExists(atPath: Project.path("rules/omsync.yaml")))
        #expect(file.contains("USER omsync"), "not root")
    }
}
