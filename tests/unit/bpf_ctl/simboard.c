/* SPDX-License-Identifier: MIT */
/* picactl-simboard: a board on a unix socket for testing picactl. The line
 * carries what a real console does (a prompt, periodic text with UTF-8,
 * echoed input, log lines) and picactl frames, answered by the real session
 * code (bpf/ctl*.c) over the in-memory programs of sim_progs.c. Faults can
 * be injected on either direction (sim_faults.c). It also accepts
 * tools/pica-run's options, so picactl boot can start it in QEMU's place:
 *
 *   picactl-simboard [IMAGE] --socket PATH [--board NAME] [--headless]
 *       [--console-log FILE] [--icount] [--max-object BYTES] [--fire-ms MS]
 *       [--text-ms MS] [--faults-in KINDS] [--faults-out KINDS] [--rate R]
 *       [--seed N] [--trace FILE]
 *
 * KINDS: drop,dup,corrupt,reorder | all | none. --trace writes "type seq len"
 * for each frame the session takes. SIGTERM or SIGINT end it (status 0).
 */
#include "sim_faults.h"
#include "sim_progs.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct sim {
    int listener;
    int client;
    bool headless;
    FILE *console_log;
    FILE *trace;
    struct sim_faults in, out;
    struct bpf_ctl_rx rx;
    struct bpf_ctl ctl;
    struct sim_board board;
    uint8_t *obj;
    double last_byte; /* when the receiver last got a byte (its frame timeout) */
    unsigned ticks;
};

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static double
now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Bytes to the host, through the outgoing faults. */
static void
line_out(struct sim *s, const void *bytes, size_t len)
{
    uint8_t buf[2 * BPF_CTL_MAX_FRAME + 512];
    const uint8_t *p = bytes;
    while (len > 0 && s->client >= 0) {
        size_t n = len < BPF_CTL_MAX_FRAME + 256 ? len : BPF_CTL_MAX_FRAME + 256;
        size_t m = sim_faults_apply(&s->out, p, n, buf);
        if (m > 0 && send(s->client, buf, m, MSG_NOSIGNAL) != (ssize_t)m) {
            close(s->client); /* gone, or too slow to read: a console drops it too */
            s->client = -1;
        }
        p += n;
        len -= n;
    }
}

static void
frame_out(void *user, const void *bytes, size_t len)
{
    line_out(user, bytes, len);
}

/* Console text: to the log file when headless (as pica-run does), else on
 * the line between frames. */
static void
text_out(void *user, const char *text)
{
    struct sim *s = user;
    if (s->headless) {
        fputs(text, s->console_log != NULL ? s->console_log : stdout);
        fflush(s->console_log != NULL ? s->console_log : stdout);
    } else {
        line_out(s, text, strlen(text));
    }
}

/* Received bytes: frame bytes to the receiver, the rest to the "shell",
 * which echoes what it can print. The session runs once per burst, so a
 * frame that arrives while one waits is dropped as on a real board. */
static void
line_in(struct sim *s, const uint8_t *data, size_t n)
{
    uint8_t buf[2 * 4096];
    size_t m = sim_faults_apply(&s->in, data, n, buf);
    for (size_t i = 0; i < m; i++) {
        if (!bpf_ctl_rx_byte(&s->rx, buf[i]) && buf[i] >= 0x20 && buf[i] < 0x7f) {
            char echo[2] = { (char)buf[i], '\0' };
            text_out(s, echo);
        }
    }
    s->last_byte = now_s();
    size_t len;
    const uint8_t *body = bpf_ctl_rx_frame(&s->rx, &len);
    if (body != NULL && s->trace != NULL && len >= 2) {
        fprintf(s->trace, "%02x %u %zu\n", body[0], body[1], len);
        fflush(s->trace);
    }
    bpf_ctl_process(&s->ctl, &s->rx);
}

static int
listen_on(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    struct stat st;
    if (strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "simboard: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(a.sun_path, path);
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(path); /* a previous run's */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0) {
        fprintf(stderr, "simboard: cannot listen on %s: %s\n", path, strerror(errno));
        return -1;
    }
    return fd;
}

static void
serve_accept(struct sim *s)
{
    int fd = accept(s->listener, NULL, NULL);
    if (fd < 0) {
        return;
    }
    if (s->client >= 0) {
        close(fd); /* one client at a time, as pica-run */
        return;
    }
    s->client = fd;
    text_out(s, "pica> ");
}

static void
serve_client(struct sim *s)
{
    uint8_t buf[4096];
    ssize_t n = recv(s->client, buf, sizeof buf, 0);
    if (n <= 0) {
        close(s->client);
        s->client = -1;
        bpf_ctl_rx_reset(&s->rx);
        return;
    }
    line_in(s, buf, (size_t)n);
}

/* What happens between bursts: a frame stuck without its end is dropped,
 * console chatter, hooks firing. */
static void
periodic(struct sim *s, double *next_text, double *next_fire, double text_s, double fire_s)
{
    double t = now_s();
    if (bpf_ctl_rx_busy(&s->rx) && t - s->last_byte > 1.0) {
        bpf_ctl_rx_reset(&s->rx);
    }
    if (text_s > 0 && t >= *next_text) {
        char line[96];
        snprintf(line, sizeof line, "\r\nsim: tick %u \xe2\x80\x94 %u programs\r\npica> ",
                 ++s->ticks, s->board.nprogs);
        text_out(s, line);
        *next_text = t + text_s;
    }
    if (fire_s > 0 && t >= *next_fire) {
        sim_fire(&s->board);
        *next_fire = t + fire_s;
    }
}

static void
run(struct sim *s, double text_s, double fire_s)
{
    double next_text = now_s() + text_s, next_fire = now_s() + fire_s;
    while (!stopping) {
        struct pollfd p[2] = { { .fd = s->listener, .events = POLLIN },
                               { .fd = s->client, .events = POLLIN } };
        if (poll(p, s->client >= 0 ? 2 : 1, 20) > 0) {
            if (p[0].revents & POLLIN) {
                serve_accept(s);
            }
            if (s->client >= 0 && p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                serve_client(s);
            }
        }
        periodic(s, &next_text, &next_fire, text_s, fire_s);
    }
}

static FILE *
open_or_die(const char *path, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (f == NULL) {
        fprintf(stderr, "simboard: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

static void
usage(void)
{
    fprintf(stderr, "usage: picactl-simboard [IMAGE] --socket PATH [--board NAME] [--headless]\n"
                    "  [--console-log FILE] [--icount] [--max-object BYTES] [--fire-ms MS]\n"
                    "  [--text-ms MS] [--faults-in KINDS] [--faults-out KINDS] [--rate R]\n"
                    "  [--seed N] [--trace FILE]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "socket", 1, 0, 's' },      { "board", 1, 0, 'b' },      { "headless", 0, 0, 'H' },
        { "console-log", 1, 0, 'l' }, { "icount", 0, 0, 'i' },     { "max-object", 1, 0, 'm' },
        { "fire-ms", 1, 0, 'f' },     { "text-ms", 1, 0, 't' },    { "faults-in", 1, 0, 'I' },
        { "faults-out", 1, 0, 'O' },  { "rate", 1, 0, 'r' },       { "seed", 1, 0, 'S' },
        { "trace", 1, 0, 'T' },       { 0, 0, 0, 0 },
    };
    static struct sim s = { .client = -1 };
    const char *path = NULL, *board = "sim";
    unsigned kinds_in = 0, kinds_out = 0;
    double rate = 0, text_s = 0.5, fire_s = 0;
    unsigned long seed = 1, max_object = 64 * 1024;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': path = optarg; break;
        case 'b': board = optarg; break;
        case 'H': s.headless = true; break;
        case 'l': s.console_log = open_or_die(optarg, "a"); break;
        case 'i': break; /* virtual time means nothing here */
        case 'm': max_object = strtoul(optarg, NULL, 0); break;
        case 'f': fire_s = atof(optarg) / 1000; break;
        case 't': text_s = atof(optarg) / 1000; break;
        case 'I': if (sim_faults_parse(optarg, &kinds_in) != 0) usage(); break;
        case 'O': if (sim_faults_parse(optarg, &kinds_out) != 0) usage(); break;
        case 'r': rate = atof(optarg); break;
        case 'S': seed = strtoul(optarg, NULL, 0); break;
        case 'T': s.trace = open_or_die(optarg, "a"); break;
        default: usage();
        }
    }
    if (path == NULL || (s.listener = listen_on(path)) < 0) {
        usage();
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    sim_faults_init(&s.in, kinds_in, rate, seed);
    sim_faults_init(&s.out, kinds_out, rate, seed + 1);
    sim_board_init(&s.board);
    s.board.write = frame_out;
    s.board.console = text_out;
    s.board.user = &s;
    s.obj = malloc(max_object);
    bpf_ctl_rx_init(&s.rx);
    bpf_ctl_init(&s.ctl, &sim_ctl_ops, &s.board, board, s.obj, max_object);
    run(&s, text_s, fire_s);
    fprintf(stderr, "simboard: faults in %llu, out %llu; frames dropped %u, overlong %u\n",
            (unsigned long long)s.in.hits, (unsigned long long)s.out.hits, s.rx.dropped,
            s.rx.overlong);
    unlink(path);
    sim_board_free(&s.board);
    free(s.obj);
    return 0;
}
