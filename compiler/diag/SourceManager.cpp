#include "diag/SourceManager.hpp"

#include <filesystem>

namespace netsep {

uint32_t SourceManager::add(std::string path, std::string canonical, std::string text) {
    namespace fs = std::filesystem;
    File f{std::move(path), std::move(canonical), {}, std::move(text), {0}};
    // The first file added is the top file; the others are cited relative
    // to its directory (canonical paths: symlinks and '..' resolved).
    fs::path canon(f.canonical);
    fs::path rel = files_.empty()
                       ? canon.filename()
                       : canon.lexically_relative(fs::path(files_.front().canonical).parent_path());
    f.tracePath = rel.empty() || f.canonical.empty() ? f.path : rel.generic_string();
    for (size_t i = 0; i < f.text.size(); ++i)
        if (f.text[i] == '\n')
            f.lineStarts.push_back(i + 1);
    files_.push_back(std::move(f));
    return static_cast<uint32_t>(files_.size() - 1);
}

std::string_view SourceManager::line(uint32_t fileId, uint32_t line) const {
    if (fileId >= files_.size() || line == 0)
        return {};
    const File& f = files_[fileId];
    if (line > f.lineStarts.size())
        return {};
    size_t begin = f.lineStarts[line - 1];
    size_t end = line < f.lineStarts.size() ? f.lineStarts[line] - 1 : f.text.size();
    std::string_view v(f.text.data() + begin, end - begin);
    if (!v.empty() && v.back() == '\r')
        v.remove_suffix(1);
    return v;
}

std::string SourceManager::where(const SourceSpan& span) const {
    if (span.file >= files_.size())
        return "?";
    return files_[span.file].tracePath + ":" + std::to_string(span.line);
}

} // namespace netsep
