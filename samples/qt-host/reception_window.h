// The reception screen (受付画面): reader list, the two check buttons, Cancel, and one panel that
// shows what is happening and what to do next.
#ifndef ONSHI_QT_HOST_RECEPTION_WINDOW_H
#define ONSHI_QT_HOST_RECEPTION_WINDOW_H

#include <onshi/host_sdk.hpp>

#include <QElapsedTimer>
#include <QPixmap>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <optional>

class QDialog;
class QLabel;
class QListWidget;
class QPushButton;
class QStatusBar;
class QWidget;

namespace reception {

struct WindowOptions {
    QString config; // plugin.json (onshi_open); empty: the defaults
    QString setup;  // setup.json: registers the terminal once at start; empty: already registered
    QString reader; // the reader to select at start; empty: the first one holding a card
    QString face_export; // the receipt program's face folder: every check is also written there
                         // ("face_export", docs/folder-interface.md); empty: config's own or none
};

// Everything the panel shows, built in one place per state and drawn by show_screen().
struct Screen {
    QString headline;
    QString colour = QStringLiteral("#222222");
    QString message;       // what happened (plain text, wrapped)
    QString action_title;  // "次の対応" or "お知らせ"; empty: no box
    QStringList actions;   // the box's lines (plain text)
    QString progress_html; // the steps of a running check
    QString details_html;  // the result table
    QPixmap photo;         // the chip's face photo; null: no photo frame at all
    QString detail;        // technical detail for IT (small, grey)
    bool offer_visual = false;  // "目視確認で続ける"
    bool ask_compare = false;   // "本人と確認しました" / "本人と確認できません"
};

class ReceptionWindow : public QWidget {
public:
    ReceptionWindow(WindowOptions options, onshi::sdk::Library library);
    ~ReceptionWindow() override;
    ReceptionWindow(const ReceptionWindow &) = delete;
    ReceptionWindow &operator=(const ReceptionWindow &) = delete;

    // Called with one line per state change ("state: idle", "readers: A=card, B=empty"), for the
    // test driver; a real host leaves it empty.
    std::function<void(const QString &)> on_state;

private:
    enum class Mode { starting, idle, running, comparing, showing };
    // One step of a running check: an ONSHI_PROGRESS_* value, or 0 for "waiting for the patient's
    // PIN / staff's 照合番号B" (the screen's own step between the events).
    struct Step {
        int progress = 0;
        QString label;
        QElapsedTimer since;
    };

    void open_context();
    void enrolled(const onshi::sdk::Result &result);
    void refresh_readers();
    QString selected_reader() const;
    // What the selected reader's card is ("card", "android", "iphone", ...; "" when unknown or none):
    // the buttons offer only the checks it allows (docs/smartphones.md).
    QString selected_medium() const;
    void start(bool visual);
    void on_job_event(const onshi::sdk::Event &event);
    void ask_secret(const onshi::sdk::Event &event);
    void open_secret_dialog(const onshi::sdk::Event &event, bool allow_last);
    void give_secret(const onshi::sdk::Event &event, QString secret, bool allow_last);
    void finished(const onshi::sdk::Result &result);
    void photo_compared(bool same_person);
    void tick();

    Screen idle_screen() const;
    Screen running_screen() const;
    Screen result_screen(const onshi::sdk::Result &result) const;
    Screen failure_screen(onshi_status status, const QString &json, const QString &technical = {}) const;
    Screen cancelled_screen() const;
    Screen mismatch_screen() const;
    QString steps_html() const;
    bool slow() const;
    void show_screen(const Screen &screen);
    void set_mode(Mode mode);
    void report(const QString &line);

    WindowOptions options_;
    onshi::sdk::Library library_;
    std::optional<onshi::sdk::Context> context_;
    std::optional<onshi::sdk::Job> job_; // the running job (one at a time)
    Mode mode_ = Mode::starting;

    // The check in progress: its kind, the steps so far, and how it ended for the host.
    bool visual_ = false;
    QString job_reader_; // the reader named in the request, or empty
    QList<Step> steps_;
    bool slow_reported_ = false;
    bool refused_last_try_ = false;
    QPointer<QDialog> dialog_;                 // the PIN / 照合番号B dialog or the last-try warning
    std::optional<onshi::sdk::Result> awaiting_compare_; // a visual result before staff compared

    bool user_chose_reader_ = false;
    bool pcsc_down_ = false;
    QString readers_seen_;

    QListWidget *readers_ = nullptr;
    QPushButton *pin_button_ = nullptr, *visual_button_ = nullptr, *cancel_button_ = nullptr;
    QPushButton *next_button_ = nullptr, *same_button_ = nullptr, *other_button_ = nullptr;
    QLabel *clock_ = nullptr, *headline_ = nullptr, *message_ = nullptr, *actions_ = nullptr;
    QLabel *progress_ = nullptr, *details_ = nullptr, *photo_ = nullptr, *detail_ = nullptr;
    QWidget *photo_panel_ = nullptr;
    QStatusBar *status_ = nullptr;
};

} // namespace reception

#endif
