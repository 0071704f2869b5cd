#include "core/fast/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace convlab::fast::detail {
namespace {

int default_threads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// How many times a waiting thread checks before it sleeps: about 0.1 ms
// of pauses. A forward pass posts a job every few hundred microseconds (one
// or two per layer), and waking a sleeping thread through the kernel costs
// tens of microseconds each time, a few milliseconds over a ResNet-18.
constexpr int kSpinChecks = 4096;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

// Workers wait for `generation` to move on, the caller for `pending` to drop
// to zero: each first spins briefly (kSpinChecks), then sleeps on a
// condition variable. Both counters change only under `mutex`, so a sleeper
// never misses a change. One job at a time: the mutex `run_mutex`
// serialises callers from different threads.
class Pool {
 public:
  explicit Pool(int threads) { start(threads); }
  ~Pool() { stop(); }

  int threads() const { return threads_; }

  void resize(int threads) {
    std::lock_guard<std::mutex> run_lock(run_mutex_);
    stop();
    start(threads);
  }

  void run(int64_t count, int64_t min_per_thread, const std::function<void(int64_t, int64_t)>& body) {
    const int64_t by_size = min_per_thread > 0 ? count / min_per_thread : count;
    const int chunks = static_cast<int>(std::clamp<int64_t>(by_size, 1, threads_));
    if (chunks == 1) {
      body(0, count);
      return;
    }
    std::lock_guard<std::mutex> run_lock(run_mutex_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      count_ = count;
      chunks_ = chunks;
      pending_ = chunks - 1;
      ++generation_;
    }
    wake_.notify_all();
    body(0, chunk_end(0));
    for (int i = 0; i < kSpinChecks && pending_.load(std::memory_order_acquire) != 0; ++i) cpu_relax();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_.load() == 0; });
    body_ = nullptr;
  }

 private:
  int64_t chunk_begin(int chunk) const { return count_ * chunk / chunks_; }
  int64_t chunk_end(int chunk) const { return count_ * (chunk + 1) / chunks_; }

  void start(int threads) {
    threads_ = std::max(1, threads);
    stopping_ = false;
    // The generation is read here, not in the new thread: a job posted before
    // the thread first runs must still count as new to it.
    const uint64_t seen = generation_.load();
    for (int i = 1; i < threads_; ++i) workers_.emplace_back([this, i, seen] { work(i, seen); });
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
  }

  void work(int index, uint64_t seen) {
    for (;;) {
      const std::function<void(int64_t, int64_t)>* body = nullptr;
      int64_t begin = 0, end = 0;
      for (int i = 0; i < kSpinChecks && generation_.load(std::memory_order_acquire) == seen; ++i)
        cpu_relax();
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load() != seen; });
        seen = generation_.load();
        if (stopping_) return;
        if (index >= chunks_) continue;  // this job needs fewer threads
        body = body_;
        begin = chunk_begin(index);
        end = chunk_end(index);
      }
      (*body)(begin, end);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --pending_;
      }
      done_.notify_one();
    }
  }

  std::mutex run_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  const std::function<void(int64_t, int64_t)>* body_ = nullptr;
  int64_t count_ = 0;
  int chunks_ = 1;
  std::atomic<int> pending_ = 0;
  std::atomic<uint64_t> generation_ = 0;
  bool stopping_ = false;
  int threads_ = 1;
};

Pool& pool() {
  static Pool instance(default_threads());
  return instance;
}

}  // namespace

void parallel_for(int64_t count, int64_t min_per_thread, const std::function<void(int64_t, int64_t)>& body) {
  if (count <= 0) return;
  pool().run(count, min_per_thread, body);
}

void set_pool_threads(int threads) { pool().resize(threads); }
int pool_threads() { return pool().threads(); }

}  // namespace convlab::fast::detail
