#pragma once
#include <optional>
#include <string>

namespace netsep::driver {

// Files as they are at a git revision, for `netsep diff --git REV POLICY`:
// a policy and its includes are read with `git cat-file blob COMMIT:PATH`
// into memory (no temporary tree), paths taken relative to the repository
// that holds the policy. git runs without a shell; the revision is resolved
// once to a commit id (`rev-parse --verify --end-of-options`), so neither it
// nor a path can be read as an option.
class GitRevision {
public:
    static std::optional<GitRevision> open(const std::string& rev, const std::string& policyPath,
                                           std::string& error);
    // Reads a working-tree path as of the revision (a FileReader).
    bool read(const std::string& path, std::string& text, std::string& error) const;
    const std::string& commit() const { return commit_; }
    // The path inside the repository ("examples/bank.nsp").
    std::string inRepository(const std::string& path, std::string& error) const;

private:
    std::string top_;    // repository root (absolute, canonical)
    std::string commit_; // full commit id
};

} // namespace netsep::driver
