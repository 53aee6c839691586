// A private scratch folder per fuzzing process, where each input is written as the file a loader reads.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace scratch {
inline char dir[] = "/tmp/semget-fuzz.XXXXXX";  // plain storage: still there when the exit handler runs
inline const char* const files[] = {"create.yaml", "t.yaml", "r.json"};

// libFuzzer ends with exit(): the folder and the files the targets write go with it.
inline void remove_all() {
    for (const char* name : files) unlink((std::string(dir) + "/" + name).c_str());
    rmdir(dir);
}
}  // namespace scratch

inline std::string scratch_dir() {
    static bool made = [] {
        if (!mkdtemp(scratch::dir)) abort();
        atexit(scratch::remove_all);
        return true;
    }();
    (void)made;
    return scratch::dir;
}

inline std::string write_input(const std::string& name, const uint8_t* data, size_t size) {
    const std::string path = scratch_dir() + "/" + name;
    FILE* f = fopen(path.c_str(), "wb");
    if (!f) abort();
    fwrite(data, 1, size, f);
    fclose(f);
    return path;
}
