// A private scratch folder per fuzzing process, where each input is written as the file a loader reads.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

inline const std::string& scratch_dir() {
    static std::string dir = [] {
        char t[] = "/tmp/semget-fuzz.XXXXXX";
        if (!mkdtemp(t)) abort();
        return std::string(t);
    }();
    return dir;
}

inline std::string write_input(const std::string& name, const uint8_t* data, size_t size) {
    const std::string path = scratch_dir() + "/" + name;
    FILE* f = fopen(path.c_str(), "wb");
    if (!f) abort();
    fwrite(data, 1, size, f);
    fclose(f);
    return path;
}
