#pragma once
#include "deploy/Artifact.hpp"
#include "deploy/NetScope.hpp"

#include <memory>
#include <string>

namespace netsep::deploy {

// netsep's part of the live ruleset of one backend in one scope (the host
// or a network namespace), and nothing else: the nftables table
// `inet netsep_<firewall>`, or netsep's iptables/ip6tables chains and the
// FORWARD rules that enter them. Every read, load and restore goes through
// the real tools (nft, iptables-save/-restore), run by fork/exec.
//
// A snapshot is canonical text: the `nft -s list table` listing, or the
// canonical form of IptablesChains per family ("*ipv4" / "*ipv6"
// sections). "" means netsep has nothing live. Equal states give equal
// snapshots, so drift is a text comparison and the diff is readable.
class LiveRuleset {
public:
    virtual ~LiveRuleset() = default;

    // Widens what counts as netsep's by what an artifact touches, or by a
    // recorded snapshot. "" or why they do not belong together (another table).
    virtual std::string claim(const Artifact& artifact) = 0;
    virtual std::string claim(const std::string& snapshot) = 0;

    // netsep's part as it is live now; false with `error` on a tool failure.
    virtual bool read(std::string& snapshot, std::string& error) = 0;
    // Loads an artifact as its header says (nft -f; iptables-restore
    // --noflush per family). Atomic per transaction; when a second family
    // fails, the first is put back. "" or the tool's error.
    virtual std::string load(const Artifact& artifact) = 0;
    // Makes netsep's part equal to `snapshot` ("" removes it), in one
    // transaction per family. "" or the tool's error.
    virtual std::string restore(const std::string& snapshot) = 0;

    // What the state records to find netsep's part again: the nft table, or
    // "" for iptables (its snapshot names the chains).
    virtual std::string anchor() const = 0;
};

// `anchor` as recorded earlier ("" when nothing is recorded yet).
std::unique_ptr<LiveRuleset> liveRuleset(RulesetBackend backend, const NetScope& scope,
                                         const std::string& anchor);

} // namespace netsep::deploy
