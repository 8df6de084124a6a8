#pragma once
#include <optional>
#include <string>
#include <vector>

namespace netsep::deploy {

enum class RulesetBackend : unsigned char { Nftables, Iptables };
const char* backendName(RulesetBackend b);
std::optional<RulesetBackend> parseBackend(const std::string& name);

// What an artifact does to the firewall it was compiled for.
enum class ArtifactKind : unsigned char {
    Config,            // the full compiled ruleset (`netsep compile`)
    KillSwitchDisable, // `netsep killswitch`: disables a group's exceptions
    KillSwitchEnable,  // ... and restores them
    Quarantine,        // `netsep quarantine`: fills the quarantine hook chain
    Release,           // ... and empties it again
};
const char* kindName(ArtifactKind k); // "config", "killswitch-disable", ...

// One netsep artifact as `netsep apply` loads it: read from disk, checked
// to be netsep's (header) and to touch nothing but netsep's own table or
// chains, and split into what the tools take.
struct Artifact {
    RulesetBackend backend = RulesetBackend::Nftables;
    ArtifactKind kind = ArtifactKind::Config;
    std::string firewall;     // from the generated header
    std::string policy;       // policy name from the header
    std::string policyDigest; // "sha256:<hex>", "" when the header has none
    std::string group;        // kill-switch group (kill-switch kinds)
    std::string summary;      // quarantine: what it isolates (header "Quarantines: ...")

    struct File {
        std::string path;   // absolute
        std::string sha256; // of its bytes
    };
    std::vector<File> files; // what was read, for the log (iptables config: both families
                             // and ipset.rules when its rules use sets)

    // nftables: the script for `nft -f -`, and the table it works on.
    std::string nftScript;
    std::string nftTable;
    // iptables: `iptables-restore --noflush` / `ip6tables-restore --noflush`
    // input, in order; either may be empty (not in this artifact).
    std::string ipv4, ipv6;
    // iptables config: ipset.rules (`ipset restore` syntax), the declared
    // sets its rules match; "" when they match none.
    std::string ipsets;
    // iptables config: the FORWARD rule that enters netsep's chains, as
    // the compile spells it ("-m comment --comment \"...\" -j ns_core"),
    // when the files say it; "" otherwise (apply then uses "-j <entry>").
    std::string forwardJump;
};

// Reads the artifact that PATH names for `netsep apply`:
//  - an artifact file (nftables.nft, iptables.rules, a kill-switch or
//    quarantine file): backend and kind from its name, firewall from its header;
//  - a firewall directory (OUT/fw-core): its full config (nftables.nft, or
//    iptables.rules + ip6tables.rules), `backend` choosing when it has both;
//  - a compile output directory (OUT): the same in OUT/<firewall>, where
//    `firewall` may be left empty when OUT holds one firewall.
// `firewall` and `backend`, when given, must match what the file says.
// nullopt with `error` set when it cannot be applied safely.
std::optional<Artifact> readArtifact(const std::string& path, const std::string& firewall,
                                     std::optional<RulesetBackend> backend, std::string& error);

// Checks of the content, exposed for the unit tests: "" or why the text
// is refused.
std::string checkNftScript(const std::string& script, const std::string& table);
std::string checkRestoreInput(const std::string& input);
// The restore blocks of a netsep iptables shell script (kill switch,
// quarantine): the here-documents fed to `iptables-restore --noflush` /
// `ip6tables-restore --noflush` (also spelled `"${IPTABLES:-iptables}-restore"
// -w --noflush`), at most one per family. apply never runs the script: its
// other lines (guards and messages for a manual run) are not executed, and
// apply makes its own checks. A here-document fed to anything else is refused.
bool splitRestoreScript(const std::string& script, std::string& ipv4, std::string& ipv6,
                        std::string& error);

} // namespace netsep::deploy
