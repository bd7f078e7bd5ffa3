// signflip_tb.cpp - drives the yardstick (signflip.v) from random stimulus
// held in memory and prints its simulation rate; the checksum of the
// accumulators keeps the model's work observable.
//   Vsignflip CYCLES [SEED [WPERIOD]]
// New activations every cycle; new weights every WPERIOD cycles (default
// 1024, a weight-stationary array loading a tile; 1 redraws them every
// cycle). Two eval() calls per cycle, as sim/tb_verilator.cpp makes.
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
    uint64_t wperiod = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1024;
    if (!x) x = 1;
    if (!wperiod) wperiod = 1;
    const std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    const std::unique_ptr<Vsignflip> top{new Vsignflip{ctx.get()}};
    // 256 activation sets (8 words) and 256 weight sets (wnz 32 words, wneg
    // 32), cycled through.
    constexpr int ASETS = 256, AWORDS = 8, WSETS = 256, WWORDS = 64;
    std::vector<uint32_t> stim(ASETS * AWORDS + WSETS * WWORDS);
    for (auto& w : stim) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        w = x;
    }
    const uint32_t* const wstim = &stim[ASETS * AWORDS];
    top->rst = 1;
    top->clk = 0;
    top->eval();
    top->clk = 1;
    top->eval();
    top->rst = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    for (uint64_t c = 0; c < cycles; ++c) {
        const uint32_t* a = &stim[(c % ASETS) * AWORDS];
        for (int i = 0; i < 8; ++i) top->act[i] = a[i];
        if (c % wperiod == 0) {
            const uint32_t* w = &wstim[(c / wperiod % WSETS) * WWORDS];
            for (int i = 0; i < 32; ++i) top->wnz[i] = w[i];
            for (int i = 0; i < 32; ++i) top->wneg[i] = w[32 + i];
        }
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
