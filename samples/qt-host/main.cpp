// onshi-qt-host — a Qt 6 reception screen (受付画面) over the onshi host SDK.
//
//   onshi-qt-host [--library PATH] [--config DIR/plugin.json] [--setup DIR/setup.json]
//                 [--reader NAME] [--autotest] [--autotest-visual] [--autotest-card-swap]
//                 [--autotest-expect VERDICT] [--pin-stdin] [--screenshot OUT.png]
//
// What a real host copies from here:
//  * onshi calls its handlers on ITS threads. They never touch a widget: they copy what they got
//    and queue a lambda to the GUI thread (QMetaObject::invokeMethod with Qt::QueuedConnection).
//  * The PIN is asked on ONSHI_EVENT_PIN_NEEDED with a non-blocking dialog that shows the tries
//    left; the answer goes back with Job::provide_pin. Before the LAST try the patient must agree
//    explicitly (ONSHI_PIN_ALLOW_LAST_ATTEMPT); a wrong PIN is never re-sent automatically.
//  * Nothing blocks the GUI thread while a check runs: the clock keeps repainting.
//
// Test mode (used by tests/samples/run_qt_host.sh under Xvfb): --autotest clicks 資格確認 itself,
// answers the PIN dialog with the first line of stdin (--pin-stdin), --autotest-visual then clicks
// 目視確認 and answers 照合番号B with the second line, saves --screenshot with QWidget::grab(),
// prints "verdict: ..." per check and the clock's repaint count during the checks, and quits
// (0 when every check ended with --autotest-expect's verdict, "eligible" unless given, and the
// clock repainted while they ran). The last-try warning is answered with the next line ("yes" or
// anything else for no). --autotest-card-swap first waits until the card on --reader has been
// taken away and put back (the test does that at the sandbox), printing the reader list each
// time it changes ("readers: NAME=card|empty, ...").
#include <onshi/host_sdk.hpp>

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sdk = onshi::sdk;

namespace {

#ifdef ONSHI_SAMPLE_DEFAULT_LIBRARY
const char *const kDefaultLibrary = ONSHI_SAMPLE_DEFAULT_LIBRARY;
#else
const char *const kDefaultLibrary = "libonshi.so.1";
#endif

struct Options {
    QString library = QString::fromUtf8(kDefaultLibrary);
    QString config, setup, reader, screenshot, autotest_expect = QStringLiteral("eligible");
    bool autotest = false, autotest_visual = false, autotest_card_swap = false, pin_stdin = false;
};

std::string read_file(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    return file.readAll().toStdString();
}

// The live clock. It counts its own paint events so the test can prove the GUI thread kept
// repainting while a check ran.
class Clock : public QLabel {
public:
    int paints = 0;

protected:
    void paintEvent(QPaintEvent *event) override {
        ++paints;
        QLabel::paintEvent(event);
    }
};

// The rows of the result panel: (official element name, Japanese title).
const char *const kFields[][2] = {
    {"QualificationValidity", "資格有効性"},
    {"InsurerNumber", "保険者番号"},
    {"InsurerName", "保険者名称"},
    {"InsuredCardSymbol", "被保険者証記号"},
    {"InsuredIdentificationNumber", "被保険者証番号"},
    {"InsuredBranchNumber", "枝番"},
    {"PersonalFamilyClassification", "本人・家族"},
    {"Name", "氏名"},
    {"NameKana", "氏名カナ"},
    {"Sex1", "性別"},
    {"Birthdate", "生年月日"},
    {"InsuredPartialContributionRatio", "負担割合"},
    {"ElderlyRecipientContributionRatio", "負担割合（高齢受給者証）"},
};

class ReceptionWindow : public QWidget {
public:
    ReceptionWindow(const Options &options, sdk::Library library)
        : options_(options), library_(std::move(library)) {
        setWindowTitle(QStringLiteral("onshi 受付 — オンライン資格確認"));
        auto *left = new QVBoxLayout;
        left->addWidget(new QLabel(QStringLiteral("カードリーダー")));
        left->addWidget(readers_ = new QListWidget);
        left->addWidget(pin_button_ = new QPushButton(QStringLiteral("資格確認（暗証番号）")));
        left->addWidget(visual_button_ = new QPushButton(QStringLiteral("目視確認（顔写真）")));
        left->addWidget(clock_ = new Clock);
        clock_->setAlignment(Qt::AlignCenter);
        auto *right = new QHBoxLayout;
        right->addWidget(result_ = new QLabel(QStringLiteral("カードをリーダーに置いてください")), 1);
        right->addWidget(photo_ = new QLabel);
        result_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        result_->setMinimumWidth(380);
        photo_->setFixedSize(180, 220);
        photo_->setAlignment(Qt::AlignCenter);
        photo_->setFrameShape(QFrame::Box);
        auto *top = new QHBoxLayout;
        top->addLayout(left);
        top->addLayout(right, 1);
        auto *outer = new QVBoxLayout(this);
        outer->addLayout(top, 1);
        outer->addWidget(status_ = new QStatusBar);
        set_busy(true); // until the context is open and the terminal is enrolled

        connect(pin_button_, &QPushButton::clicked, this, [this] { start(false); });
        connect(visual_button_, &QPushButton::clicked, this, [this] { start(true); });
        // The live clock: every 100 ms on the GUI thread, also (especially) while a check runs.
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] {
            clock_->setText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")));
            if (job_)
                ++ticks_during_jobs_;
        });
        timer->start(100);
        QTimer::singleShot(0, this, [this] { open(); });
    }

    ~ReceptionWindow() override {
        // Close onshi first: it cancels the jobs and waits for their handlers, which only ever
        // queue work to this object (dropped once it is gone).
        job_.reset();
        context_.reset();
    }

private:
    // Opens the context from --config, listens for reader/card events, enrolls once (--setup).
    void open() {
        try {
            context_.emplace(library_, options_.config.isEmpty() ? std::string("{}")
                                                                 : read_file(options_.config));
            // Reader and card events arrive on onshi's thread: queue a refresh to the GUI thread.
            context_->on_event([this](const sdk::Event &) {
                QMetaObject::invokeMethod(this, [this] { refresh_readers(); }, Qt::QueuedConnection);
            });
            refresh_readers();
            if (options_.setup.isEmpty())
                return ready(QStringLiteral("準備完了"));
            std::string setup = read_file(options_.setup);
            sdk::JobHandlers handlers;
            handlers.on_complete = [this](const sdk::Result &r) {
                const onshi_status st = r.status();
                QMetaObject::invokeMethod(this, [this, st] { enrolled(st); }, Qt::QueuedConnection);
            };
            job_.emplace(context_->terminal_enroll(setup, std::move(handlers)));
            std::fill(setup.begin(), setup.end(), '\0'); // it holds the setup password
            status_->showMessage(QStringLiteral("端末を登録しています…"));
        } catch (const sdk::Error &e) {
            fail(QString::fromStdString(e.name() + ": " + e.message()));
        } catch (const std::exception &e) {
            fail(QString::fromUtf8(e.what()));
        }
    }

    void enrolled(onshi_status st) {
        job_.reset();
        if (st == ONSHI_OK || st == ONSHI_E_ALREADY_ENROLLED)
            return ready(st == ONSHI_OK ? QStringLiteral("端末登録: 完了") : QStringLiteral("端末登録: 登録済み"));
        fail(QStringLiteral("端末登録に失敗しました: ") + message_of(st));
    }

    void ready(const QString &message) {
        set_busy(false);
        status_->showMessage(message);
        if (options_.autotest_card_swap) {
            swap_ = Swap::waiting_for_removal;
            std::cout << "autotest: take the card from " << options_.reader.toStdString() << std::endl;
        } else if (options_.autotest) {
            QTimer::singleShot(300, this, [this] { autotest_step(); });
        }
    }

    // [{"name": "...", "card_present": true}, ...] → the list, keeping the selection.
    void refresh_readers() {
        if (!context_)
            return;
        QString selected = readers_->currentItem() ? readers_->currentItem()->data(Qt::UserRole).toString()
                                                   : options_.reader;
        QJsonArray list;
        try {
            list = QJsonDocument::fromJson(QByteArray::fromStdString(context_->list_readers())).array();
        } catch (const sdk::Error &e) {
            status_->showMessage(QString::fromStdString(e.message()));
        }
        readers_->clear();
        QString summary;
        for (const QJsonValue &v : list) {
            const QString name = v[QStringLiteral("name")].toString();
            const bool card = v[QStringLiteral("card_present")].toBool();
            summary += (summary.isEmpty() ? QString() : QStringLiteral(", ")) + name +
                       (card ? QStringLiteral("=card") : QStringLiteral("=empty"));
            auto *item = new QListWidgetItem(name + (card ? QStringLiteral("  ● カードあり") : QStringLiteral("  ○ カードなし")));
            item->setData(Qt::UserRole, name);
            readers_->addItem(item);
            if (name == selected)
                readers_->setCurrentItem(item);
        }
        if (options_.autotest && summary != readers_seen_) {
            readers_seen_ = summary;
            std::cout << "readers: " << summary.toStdString() << std::endl;
            autotest_card_swap_step(summary);
        }
    }

    // 資格確認 (PIN) or 目視確認 (visual, with the chip's face photo opened by 照合番号B).
    void start(bool visual) {
        if (job_)
            return;
        QJsonObject request{{QStringLiteral("method"), visual ? QStringLiteral("visual") : QStringLiteral("pin")}};
        if (visual)
            request[QStringLiteral("photo")] = true;
        if (readers_->currentItem())
            request[QStringLiteral("reader")] = readers_->currentItem()->data(Qt::UserRole).toString();
        sdk::JobHandlers handlers;
        // Every handler copies what it got and hands it to the GUI thread.
        handlers.on_event = [this](const sdk::Event &e) {
            if (e.type == ONSHI_EVENT_PIN_NEEDED)
                QMetaObject::invokeMethod(this, [this, e] { ask_secret(e); }, Qt::QueuedConnection);
        };
        handlers.on_complete = [this](const sdk::Result &r) {
            QMetaObject::invokeMethod(this, [this, r] { show_result(r); }, Qt::QueuedConnection);
        };
        set_busy(true);
        result_->setText(QStringLiteral("確認中…"));
        photo_->clear();
        status_->showMessage(visual ? QStringLiteral("目視確認中…") : QStringLiteral("資格確認中…"));
        try {
            job_.emplace(context_->start_check(
                QJsonDocument(request).toJson(QJsonDocument::Compact).toStdString(), {}, std::move(handlers)));
        } catch (const sdk::Error &e) {
            set_busy(false);
            fail(QString::fromStdString(e.message()));
        }
    }

    // ONSHI_EVENT_PIN_NEEDED on the GUI thread. Before the last try, a warning first: never spend
    // it without the patient's explicit agreement, it locks the card. Like the PIN dialog, the
    // warning is open()ed, not exec()ed: no nested event loop, the answer arrives through a signal.
    void ask_secret(const sdk::Event &e) {
        if (!job_)
            return;
        if (e.value != 1)
            return open_secret_dialog(e, false);
        auto *box = new QMessageBox(QMessageBox::Warning, QStringLiteral("残り1回"),
            QStringLiteral("残り1回です。間違えるとカードがロックされ、市区町村窓口での"
                           "解除が必要になります。患者さんの同意を得て続けますか？"),
            QMessageBox::Yes | QMessageBox::No, this);
        box->setDefaultButton(QMessageBox::No);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, e](int) {
            const bool agreed = box->standardButton(box->clickedButton()) == QMessageBox::Yes;
            if (options_.autotest)
                std::cout << "last-try warning: " << (agreed ? "yes" : "no") << std::endl;
            if (!job_)
                return;
            if (!agreed)
                return job_->cancel();
            open_secret_dialog(e, true);
        });
        box->open();
        if (options_.autotest) { // the patient's answer from stdin
            std::string line;
            std::getline(std::cin, line);
            QTimer::singleShot(300, box, [box, line] {
                box->button(line == "yes" ? QMessageBox::Yes : QMessageBox::No)->click();
            });
        }
    }

    // The password dialog with the tries left.
    void open_secret_dialog(const sdk::Event &e, bool allow_last) {
        const bool collation = e.detail == ONSHI_SECRET_COLLATION_B;
        const int tries = e.value;
        auto *dialog = new QInputDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(collation ? QStringLiteral("照合番号B") : QStringLiteral("暗証番号"));
        QString label = collation ? QStringLiteral("照合番号B（14桁）を入力してください")
                                  : QStringLiteral("暗証番号（4桁）を入力してください");
        if (tries >= 0)
            label += QStringLiteral("\n残り %1 回").arg(tries);
        if (e.status != ONSHI_OK)
            label += QStringLiteral("\n形式が違います。もう一度入力してください。");
        dialog->setLabelText(label);
        dialog->setTextEchoMode(QLineEdit::Password);
        // open(), not exec(): no nested event loop, the answer arrives through a signal.
        connect(dialog, &QInputDialog::finished, this, [this, dialog, allow_last, e](int accepted) {
            QString secret = dialog->textValue();
            dialog->setTextValue(QString());
            if (!job_)
                return;
            if (accepted != QDialog::Accepted || secret.isEmpty())
                return job_->cancel();
            std::string bytes = secret.toStdString();
            secret.fill(QChar(u'\0'));
            try {
                job_->provide_pin(bytes, allow_last);
            } catch (const sdk::Error &error) {
                // A malformed PIN / 照合番号B spends no try: onshi refuses it and we ask again.
                if (error.status() == ONSHI_E_PIN_FORMAT || error.status() == ONSHI_E_COLLATION_B_FORMAT) {
                    sdk::Event again = e;
                    again.status = error.status();
                    QMetaObject::invokeMethod(this, [this, again, allow_last] { open_secret_dialog(again, allow_last); },
                                              Qt::QueuedConnection);
                } else {
                    fail(QString::fromStdString(error.message()));
                }
            }
            std::fill(bytes.begin(), bytes.end(), '\0');
        });
        dialog->open();
        if (options_.autotest) { // the test answers from stdin, like a patient at the PIN pad
            std::string line;
            std::getline(std::cin, line);
            QTimer::singleShot(300, dialog, [dialog, line] {
                dialog->setTextValue(QString::fromStdString(line));
                dialog->accept();
            });
        }
    }

    // The result panel: verdict, the fields with Japanese labels, the face photo.
    void show_result(const sdk::Result &r) {
        job_.reset();
        set_busy(false);
        if (!r.ok()) {
            const std::string message = r.field("message").value_or("");
            QString text = message.empty() ? message_of(r.status()) : QString::fromStdString(message);
            if (const auto tries = r.field("tries_left"); tries && *tries != "-1")
                text += QStringLiteral("（残り %1 回）").arg(QString::fromStdString(*tries));
            result_->setText(QStringLiteral("<h2 style='color:#b00'>確認できませんでした</h2>") + text.toHtmlEscaped());
            fail(QString::fromStdString(library_.status_name(r.status())) + QStringLiteral(": ") + text,
                 r.status() == ONSHI_E_CANCELLED ? "cancelled" : "failed");
            return;
        }
        const QJsonObject labels =
            QJsonDocument::fromJson(QByteArray::fromStdString(r.json())).object()[QStringLiteral("labels")].toObject();
        const QString verdict = QString::fromStdString(r.field("verdict").value_or(""));
        const QString verdict_ja = verdict == QLatin1String("eligible")       ? QStringLiteral("資格あり")
                                   : verdict == QLatin1String("not_eligible") ? QStringLiteral("資格なし")
                                                                              : QStringLiteral("要確認");
        QString html = QStringLiteral("<h2 style='color:%1'>%2</h2><table cellspacing=4>")
                           .arg(verdict == QLatin1String("eligible") ? QStringLiteral("#070") : QStringLiteral("#b00"), verdict_ja);
        for (const auto &field : kFields) {
            const auto value = r.field(field[0]);
            if (!value || value->empty())
                continue;
            QString shown = QString::fromStdString(*value).trimmed();
            // "labels": {"QualificationValidity": {"ja": "有効"}} (an array when repeated).
            QJsonValue label = labels[QLatin1String(field[0])];
            if (label.isArray())
                label = label.toArray().first();
            const QString ja = label[QStringLiteral("ja")].toString();
            if (!ja.isEmpty())
                shown = ja + QStringLiteral(" (") + shown + QStringLiteral(")");
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(QString::fromUtf8(field[1]), shown.toHtmlEscaped());
        }
        result_->setText(html + QStringLiteral("</table>"));
        const std::vector<std::uint8_t> png = r.photo_png();
        QPixmap photo;
        if (!png.empty() && photo.loadFromData(png.data(), static_cast<uint>(png.size()), "PNG"))
            photo_->setPixmap(photo.scaled(photo_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
        status_->showMessage(QStringLiteral("確認完了: ") + verdict_ja);
        autotest_done(verdict);
    }

    QString message_of(onshi_status st) const { return QString::fromStdString(library_.status_message(st)); }

    void fail(const QString &message, const char *verdict = "failed") {
        status_->setStyleSheet(QStringLiteral("color: #b00"));
        status_->showMessage(message);
        std::cerr << "onshi-qt-host: " << message.toStdString() << "\n";
        autotest_done(QString::fromLatin1(verdict));
    }

    void set_busy(bool busy) {
        pin_button_->setEnabled(!busy);
        visual_button_->setEnabled(!busy);
        if (!busy)
            status_->setStyleSheet(QString());
    }

    // ---- test mode ------------------------------------------------------------------------------
    void autotest_step() {
        if (steps_done_ == 0)
            pin_button_->click(); // exactly what a click does: the slot runs on the GUI thread
        else
            visual_button_->click();
        ++steps_done_;
        ticks_during_jobs_ = 0; // count this check's ticks and repaints only
        paints_at_start_ = clock_->paints;
    }

    // --autotest-card-swap: the check starts once the card was taken from the reader and put back.
    void autotest_card_swap_step(const QString &readers) {
        const bool card = readers.contains(options_.reader + QStringLiteral("=card"));
        if (swap_ == Swap::waiting_for_removal && !card) {
            swap_ = Swap::waiting_for_insertion;
            std::cout << "autotest: put the card back on " << options_.reader.toStdString() << std::endl;
        } else if (swap_ == Swap::waiting_for_insertion && card) {
            swap_ = Swap::done;
            QTimer::singleShot(300, this, [this] { autotest_step(); });
        }
    }

    void autotest_done(const QString &verdict) {
        if (!options_.autotest || finished_)
            return;
        const int paints = clock_->paints - paints_at_start_;
        std::cout << "verdict: " << verdict.toStdString() << "\n"
                  << "clock during the check: " << ticks_during_jobs_ << " ticks, " << paints << " repaints\n";
        all_ok_ = all_ok_ && verdict == options_.autotest_expect && paints > 0;
        if (verdict == QLatin1String("eligible") && options_.autotest_visual && steps_done_ == 1)
            return QTimer::singleShot(300, this, [this] { autotest_step(); });
        finished_ = true;
        // Let the result panel paint, then take the screenshot and quit.
        QTimer::singleShot(500, this, [this] {
            if (!options_.screenshot.isEmpty() && !grab().save(options_.screenshot, "PNG")) {
                std::cerr << "cannot save " << options_.screenshot.toStdString() << "\n";
                all_ok_ = false;
            }
            std::cout << (all_ok_ ? "autotest: ok" : "autotest: FAILED") << std::endl;
            QApplication::exit(all_ok_ ? 0 : 1);
        });
    }

    Options options_;
    sdk::Library library_;
    std::optional<sdk::Context> context_;
    std::optional<sdk::Job> job_; // the running job (one at a time)
    QListWidget *readers_ = nullptr;
    QPushButton *pin_button_ = nullptr, *visual_button_ = nullptr;
    Clock *clock_ = nullptr;
    QLabel *result_ = nullptr, *photo_ = nullptr;
    QStatusBar *status_ = nullptr;
    int ticks_during_jobs_ = 0, paints_at_start_ = 0, steps_done_ = 0;
    bool finished_ = false, all_ok_ = true;
    QString readers_seen_;  // the last reader list printed (test mode)
    enum class Swap { off, waiting_for_removal, waiting_for_insertion, done } swap_ = Swap::off;
};

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    Options o;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const auto value = [&]() { return i + 1 < args.size() ? args[++i] : QString(); };
        if (a == QLatin1String("--library")) o.library = value();
        else if (a == QLatin1String("--config")) o.config = value();
        else if (a == QLatin1String("--setup")) o.setup = value();
        else if (a == QLatin1String("--reader")) o.reader = value();
        else if (a == QLatin1String("--screenshot")) o.screenshot = value();
        else if (a == QLatin1String("--autotest")) o.autotest = true;
        else if (a == QLatin1String("--autotest-visual")) o.autotest = o.autotest_visual = true;
        else if (a == QLatin1String("--autotest-card-swap")) o.autotest = o.autotest_card_swap = true;
        else if (a == QLatin1String("--autotest-expect")) o.autotest_expect = value();
        else if (a == QLatin1String("--pin-stdin")) o.pin_stdin = true;
        else {
            std::cerr << "usage: onshi-qt-host [--library PATH] [--config FILE] [--setup FILE] [--reader NAME]\n"
                         "                     [--autotest] [--autotest-visual] [--autotest-card-swap]\n"
                         "                     [--autotest-expect VERDICT] [--pin-stdin] [--screenshot OUT.png]\n";
            return 2;
        }
    }
    if (o.autotest_card_swap && o.reader.isEmpty()) {
        std::cerr << "--autotest-card-swap needs --reader (the reader whose card is swapped)\n";
        return 2;
    }
    if (o.autotest && !o.pin_stdin) {
        std::cerr << "--autotest needs --pin-stdin (the PIN dialog is answered from stdin)\n";
        return 2;
    }
    try {
        ReceptionWindow window(o, sdk::Library(o.library.toStdString()));
        window.resize(900, 480);
        window.show();
        if (o.autotest) // a watchdog: a hung check fails the test instead of hanging it
            QTimer::singleShot(90000, &app, [] { std::cerr << "autotest: timed out\n"; QApplication::exit(1); });
        return QApplication::exec();
    } catch (const sdk::Error &e) {
        if (!o.autotest)
            QMessageBox::critical(nullptr, QStringLiteral("onshi"), QString::fromStdString(e.name() + ": " + e.message()));
        std::cerr << e.name() << ": " << e.message() << "\n";
        return 2;
    }
}
