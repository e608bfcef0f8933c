#include "runtime/parallel.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace edgeport {
namespace {

// Workers that live as long as the process: starting a thread per call costs
// tens of microseconds, a noticeable share of a millisecond-long model run.
class WorkerPool {
 public:
  static WorkerPool& instance() {
    static WorkerPool pool;
    return pool;
  }

  ~WorkerPool() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  // Runs chunk(i) for i in [0, chunks): chunk 0 on the caller, the rest on workers.
  void run(std::int64_t chunks, const std::function<void(std::int64_t)>& chunk) {
    const std::lock_guard<std::mutex> one_job(busy_);
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (static_cast<std::int64_t>(workers_.size()) < chunks - 1) workers_.emplace_back([this] { work(); });
      job_ = &chunk;
      next_ = 1;
      chunks_ = chunks;
      unfinished_ = chunks - 1;
      ++generation_;
    }
    wake_.notify_all();
    chunk(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return unfinished_ == 0; });
    job_ = nullptr;
  }

  static bool on_worker() { return worker_thread; }

 private:
  void work() {
    worker_thread = true;
    std::uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || (generation_ != seen && next_ < chunks_); });
      if (stopping_) return;
      seen = generation_;
      while (next_ < chunks_) {
        const std::int64_t index = next_++;
        lock.unlock();
        (*job_)(index);
        lock.lock();
        if (--unfinished_ == 0) done_.notify_one();
      }
    }
  }

  static thread_local bool worker_thread;
  std::mutex busy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  const std::function<void(std::int64_t)>* job_ = nullptr;
  std::int64_t next_ = 0;
  std::int64_t chunks_ = 0;
  std::int64_t unfinished_ = 0;
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
};

thread_local bool WorkerPool::worker_thread = false;

}  // namespace

void parallel_for(std::int64_t count, int threads, const std::function<void(std::int64_t, std::int64_t)>& body) {
  const std::int64_t chunks = std::min<std::int64_t>(std::max(threads, 1), count);
  if (chunks <= 1 || WorkerPool::on_worker()) {
    if (count > 0) body(0, count);
    return;
  }
  // A worker's exception is carried back to the caller rather than terminating the process.
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(chunks));
  const std::function<void(std::int64_t)> run_chunk = [&](std::int64_t chunk) {
    try {
      body(chunk * count / chunks, (chunk + 1) * count / chunks);
    } catch (...) {
      failures[static_cast<std::size_t>(chunk)] = std::current_exception();
    }
  };
  WorkerPool::instance().run(chunks, run_chunk);
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace edgeport
