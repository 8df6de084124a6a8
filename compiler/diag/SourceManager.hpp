#pragma once
#include "diag/SourceSpan.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace netsep {

// Owns the text of every loaded file so diagnostics can quote source lines
// after the parse tree is gone.
class SourceManager {
public:
    struct File {
        std::string path; // as shown to the user
        std::string canonical;
        // Relative to the top file's directory ('/' separated): what
        // generated configs and reports cite, so that they do not depend on
        // the directory netsep ran in or where the tree is checked out.
        std::string tracePath;
        std::string text;
        std::vector<size_t> lineStarts;
    };

    uint32_t add(std::string path, std::string canonical, std::string text);
    const File& file(uint32_t id) const { return files_.at(id); }
    size_t size() const { return files_.size(); }
    std::string_view line(uint32_t fileId, uint32_t line) const;
    // "tracePath:line" for traces in generated configs and reports.
    std::string where(const SourceSpan& span) const;

private:
    std::vector<File> files_;
};

} // namespace netsep
