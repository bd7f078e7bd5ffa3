// signflip_tb.cpp - drives the yardstick (signflip.v) from random stimulus
// held in memory and prints its simulation rate; the checksum of the
// accumulators keeps the model's work observable.
//   Vsignflip CYCLES [SEED]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <vector>

#include "Vsignflip.h"
#include "verilated.h"

int main(int argc, char** argv) {
    const uint64_t cycles = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    uint32_t x = argc > 2 ? static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 1;
    if (!x) x = 1;
    const std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    const std::unique_ptr<Vsignflip> top{new Vsignflip{ctx.get()}};
    // 256 stimulus sets (act 8 words, wnz 32, wneg 32), cycled through.
    constexpr int SETS = 256, WORDS = 8 + 32 + 32;
    std::vector<uint32_t> stim(SETS * WORDS);
    for (auto& w : stim) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        w = x;
    }
    top->rst = 1;
    top->clk = 0;
    top->eval();
    top->clk = 1;
    top->eval();
    top->rst = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    for (uint64_t c = 0; c < cycles; ++c) {
        const uint32_t* s = &stim[(c % SETS) * WORDS];
        for (int i = 0; i < 8; ++i) top->act[i] = s[i];
        for (int i = 0; i < 32; ++i) top->wnz[i] = s[8 + i];
        for (int i = 0; i < 32; ++i) top->wneg[i] = s[40 + i];
        top->clk = 0;
        top->eval();
        top->clk = 1;
        top->eval();
    }
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    uint32_t sum = 0;
    for (int i = 0; i < 24; ++i) sum = sum * 31u + top->acc[i];
    top->final();
    std::printf("yardstick: %llu cycles in %.3f s (%.0f cycles/s), cpu %.3f s (%.0f cycles/cpu-s), "
                "checksum %08x\n", static_cast<unsigned long long>(cycles), sec,
                cycles / (sec > 0 ? sec : 1e-9), cpu, cycles / (cpu > 0 ? cpu : 1e-9), sum);
    return 0;
}
