/* Loads libonshi, prints an application form, unloads it — three times in one process, as a host
 * that unloads its plugins does. pango's GObject types outlive an unload (GLib never forgets a
 * type), so onshi must keep pango loaded once it used it; G_DEBUG=fatal-criticals turns GLib's
 * complaints about a reloaded pango into a failure. Usage: application_pdf_reload LIBONSHI */
#include <onshi/onshi.h>

#include <dlfcn.h>
#include <stdio.h>

typedef onshi_status (*open_fn)(const char *, onshi_context **);
typedef onshi_status (*render_fn)(onshi_context *, const char *, const char *, uint8_t **, size_t *);
typedef void (*close_fn)(onshi_context *);
typedef void (*free_fn)(void *);

static const char form[] =
    "{\"application_types\":[1,2],\"application_date\":\"2026-01-05\",\"contact_name\":\"受付　花子\","
    "\"institution_code\":\"3410712362\",\"institution_name\":\"さくら通り整形外科クリニック\","
    "\"founder_name\":\"桜井　太郎\",\"phone\":\"082-555-0123\",\"email\":\"uketsuke@sakura-clinic.example.jp\","
    "\"password\":\"Sakura2026Clinic\",\"account_last4\":\"1234\",\"staff_count\":12,\"terminal_count\":2}";

int main(int argc, char **argv) {
    int round;
    if (argc != 2) return 2;
    for (round = 0; round < 3; ++round) {
        void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
        onshi_context *ctx = NULL;
        uint8_t *pdf = NULL;
        size_t size = 0;
        onshi_status opened, rendered;
        if (!lib) {
            fprintf(stderr, "dlopen: %s\n", dlerror());
            return 1;
        }
        /* POSIX: a data pointer from dlsym converts to a function pointer. */
        opened = (*(open_fn *)&(void *){dlsym(lib, "onshi_open")})("{\"pcsc\":{\"enabled\":false}}", &ctx);
        rendered = (*(render_fn *)&(void *){dlsym(lib, "onshi_application_render_pdf")})(ctx, form, NULL, &pdf, &size);
        printf("round %d: open %d, render %d, %lu bytes\n", round, (int)opened, (int)rendered, (unsigned long)size);
        (*(free_fn *)&(void *){dlsym(lib, "onshi_free")})(pdf);
        (*(close_fn *)&(void *){dlsym(lib, "onshi_close")})(ctx);
        dlclose(lib);
        if (opened != ONSHI_OK || rendered != ONSHI_OK || size < 1000) return 1;
    }
    return 0;
}
