#include "reception_window.h"

#include "era_date.h"
#include "fallback_guidance.h"

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
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sdk = onshi::sdk;

namespace reception {
namespace {

// A machine step (reading the card, waiting for the gateway) that lasts this long gets a hint:
// wait, or press 中止.
constexpr qint64 kSlowAfterMs = 8000;

const QString kRed = QStringLiteral("#b00020"), kGreen = QStringLiteral("#1b6e20"),
              kOrange = QStringLiteral("#a15c00"), kGrey = QStringLiteral("#555555");

std::string read_file(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    return file.readAll().toStdString();
}

QJsonObject parse_object(const std::string &json) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

QString text_of(const QString &text) { return text.toHtmlEscaped(); }

// The steps a check reports, for the progress list and the test's state lines. The event's own
// text is shown when the library gives one; these are the screen's words otherwise.
struct ProgressName {
    int value;
    const char *id;
    const char *label;
};
constexpr ProgressName kProgress[] = {
    {ONSHI_PROGRESS_WAITING_FOR_CARD, "waiting_for_card", "カードが置かれるのを待っています"},
    {ONSHI_PROGRESS_READING_CARD, "reading_card", "カードを読み取っています"},
    {ONSHI_PROGRESS_VERIFYING_PIN, "verifying_pin", "暗証番号を照合しています"},
    {ONSHI_PROGRESS_SIGNING, "signing", "カードで署名しています"},
    {ONSHI_PROGRESS_READING_PHOTO, "reading_photo", "顔写真を読み取っています"},
    {ONSHI_PROGRESS_CONTACTING_GATEWAY, "contacting_gateway", "資格確認サーバーに問い合わせています"},
};
const ProgressName *progress_name(int value) {
    for (const auto &p : kProgress)
        if (p.value == value)
            return &p;
    return nullptr;
}

// The rows of the result table: (official element name, Japanese title, a YYYYMMDD date).
struct Field {
    const char *element;
    const char *title;
    bool date;
};
constexpr Field kFields[] = {
    {"QualificationValidity", "資格有効性", false},
    {"InsurerNumber", "保険者番号", false},
    {"InsurerName", "保険者名称", false},
    {"InsuredCardSymbol", "記号", false},
    {"InsuredIdentificationNumber", "番号", false},
    {"InsuredBranchNumber", "枝番", false},
    {"PersonalFamilyClassification", "本人・家族", false},
    {"Name", "氏名", false},
    {"NameKana", "氏名カナ", false},
    {"Sex1", "性別", false},
    {"Birthdate", "生年月日", true},
    {"QualificationDate", "資格取得年月日", true},
    {"DisqualificationDate", "資格喪失年月日", true},
    {"InsuredPartialContributionRatio", "負担割合", false},
    {"ElderlyRecipientContributionRatio", "負担割合（高齢受給者）", false},
};

// A value as staff read it: dates in 和暦, coded values with their label ("有効 (1)").
QString shown_value(const Field &field, const std::string &raw, const QJsonObject &labels) {
    const QString value = QString::fromStdString(raw).trimmed();
    if (field.date) {
        const auto date = japanese_date(value.toStdString());
        return date ? QString::fromStdString(*date) : value;
    }
    // "labels": {"QualificationValidity": {"ja": "有効"}}, an array when the element repeats.
    QJsonValue label = labels[QLatin1String(field.element)];
    if (label.isArray())
        label = label.toArray().first();
    const QString ja = label[QStringLiteral("ja")].toString();
    return ja.isEmpty() ? value : ja + QStringLiteral(" (") + value + QStringLiteral(")");
}

// A member that may be a string or an array of strings (the failure JSON's "action").
QStringList lines_of(const QJsonValue &value) {
    QStringList lines;
    if (value.isString())
        lines << value.toString();
    for (const QJsonValue &v : value.toArray())
        if (v.isString())
            lines << v.toString();
    lines.removeAll(QString());
    return lines;
}

// "medium" of a result, when the library reports one: a string, or an object with "ja".
QString medium_of(const QJsonObject &result) {
    const QJsonValue medium = result[QStringLiteral("medium")];
    if (medium.isString())
        return medium.toString();
    return medium[QStringLiteral("ja")].toString();
}

// "notices" of a result, when the library reports them: [{"code", "message", ...}, ...].
QStringList notices_of(const QJsonObject &result) {
    QStringList lines;
    for (const QJsonValue &notice : result[QStringLiteral("notices")].toArray()) {
        QString line = notice[QStringLiteral("message")].toString();
        if (line.isEmpty())
            line = notice[QStringLiteral("code")].toString();
        if (!line.isEmpty())
            lines << line;
    }
    return lines;
}

// A screen with a headline only (and a message).
Screen plain_screen(const QString &headline, const QString &colour, const QString &message = {}) {
    Screen s;
    s.headline = headline;
    s.colour = colour;
    s.message = message;
    return s;
}

QPushButton *make_button(const char *object_name, const QString &text) {
    auto *button = new QPushButton(text);
    button->setObjectName(QLatin1String(object_name));
    return button;
}

} // namespace

ReceptionWindow::ReceptionWindow(WindowOptions options, sdk::Library library)
    : options_(std::move(options)), library_(std::move(library)) {
    setWindowTitle(QStringLiteral("onshi 受付 — オンライン資格確認"));
    user_chose_reader_ = !options_.reader.isEmpty();

    // Left: readers, the two checks, Cancel, the clock.
    auto *left_panel = new QWidget;
    left_panel->setFixedWidth(250);
    auto *left = new QVBoxLayout(left_panel);
    left->setContentsMargins(0, 0, 0, 0);
    left->addWidget(new QLabel(QStringLiteral("<b>カードリーダー</b>")));
    left->addWidget(readers_ = new QListWidget);
    readers_->setObjectName(QStringLiteral("readers"));
    readers_->setMaximumHeight(72);
    left->addWidget(pin_button_ = make_button("pin", QStringLiteral("資格確認（暗証番号）")));
    left->addWidget(visual_button_ = make_button("visual", QStringLiteral("目視確認（顔写真）")));
    left->addWidget(cancel_button_ = make_button("cancel", QStringLiteral("中止")));
    left->addStretch(1);
    left->addWidget(clock_ = new QLabel);
    clock_->setObjectName(QStringLiteral("clock"));
    clock_->setAlignment(Qt::AlignCenter);

    // Right: one panel. Every label wraps: no message is ever cut off.
    auto *right = new QVBoxLayout;
    right->addWidget(headline_ = new QLabel);
    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    headline_->setFont(big);
    right->addWidget(message_ = new QLabel);
    right->addWidget(actions_ = new QLabel);
    actions_->setStyleSheet(QStringLiteral("QLabel { background: #fff8e1; border: 1px solid #e0b84c; padding: 6px; }"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(next_button_ = make_button("next_visual", QStringLiteral("目視確認（顔写真）で続ける")));
    buttons->addWidget(same_button_ = make_button("same_person", QStringLiteral("本人と確認しました")));
    buttons->addWidget(other_button_ = make_button("other_person", QStringLiteral("本人と確認できません")));
    buttons->addStretch(1);
    right->addLayout(buttons);
    right->addWidget(progress_ = new QLabel);
    auto *body = new QHBoxLayout;
    body->addWidget(details_ = new QLabel, 1);
    photo_panel_ = new QWidget;
    auto *photo_box = new QVBoxLayout(photo_panel_);
    photo_box->setContentsMargins(0, 0, 0, 0);
    photo_box->addWidget(new QLabel(QStringLiteral("ICチップの顔写真")), 0, Qt::AlignHCenter);
    photo_box->addWidget(photo_ = new QLabel);
    photo_box->addStretch(1);
    photo_->setFixedSize(150, 188);
    photo_->setAlignment(Qt::AlignCenter);
    photo_->setFrameShape(QFrame::Box);
    body->addWidget(photo_panel_, 0, Qt::AlignTop);
    right->addLayout(body);
    right->addWidget(detail_ = new QLabel);
    detail_->setStyleSheet(QStringLiteral("color: #666666"));
    right->addStretch(1);
    for (QLabel *label : {headline_, message_, actions_, progress_, details_, detail_}) {
        label->setWordWrap(true);
        label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }

    auto *top = new QHBoxLayout;
    top->addWidget(left_panel);
    top->addSpacing(12);
    top->addLayout(right, 1);
    auto *outer = new QVBoxLayout(this);
    outer->addLayout(top, 1);
    outer->addWidget(status_ = new QStatusBar);
    status_->setSizeGripEnabled(false);

    connect(pin_button_, &QPushButton::clicked, this, [this] { start(false); });
    connect(visual_button_, &QPushButton::clicked, this, [this] { start(true); });
    connect(next_button_, &QPushButton::clicked, this, [this] { start(true); });
    connect(cancel_button_, &QPushButton::clicked, this, [this] {
        if (!job_)
            return;
        cancel_button_->setEnabled(false);
        cancel_button_->setText(QStringLiteral("中止しています…"));
        job_->cancel();
    });
    connect(same_button_, &QPushButton::clicked, this, [this] { photo_compared(true); });
    connect(other_button_, &QPushButton::clicked, this, [this] { photo_compared(false); });
    connect(readers_, &QListWidget::itemClicked, this, [this] {
        user_chose_reader_ = true;
        if (mode_ == Mode::idle)
            show_screen(idle_screen());
        set_mode(mode_);
    });
    // The live clock and the elapsed seconds, every 100 ms on the GUI thread, also (especially)
    // while a check runs.
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this] { tick(); });
    timer->start(100);

    set_mode(Mode::starting);
    show_screen(plain_screen(QStringLiteral("準備しています…"), kGrey));
    QTimer::singleShot(0, this, [this] { open_context(); });
}

ReceptionWindow::~ReceptionWindow() {
    // Close onshi first: it cancels the jobs and waits for their handlers, which only ever queue
    // work to this object (dropped once it is gone).
    job_.reset();
    context_.reset();
}

// Opens the context, listens for reader/card events, registers the terminal once (--setup).
void ReceptionWindow::open_context() {
    try {
        std::string config = options_.config.isEmpty() ? std::string("{}") : read_file(options_.config);
        if (!options_.face_export.isEmpty()) {  // the setting overrides the file's "face_export"
            QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(config)).object();
            root.insert(QStringLiteral("face_export"), QJsonObject{{QStringLiteral("dir"), options_.face_export}});
            config = QJsonDocument(root).toJson(QJsonDocument::Compact).toStdString();
        }
        context_.emplace(library_, config);
        // Reader and card events arrive on onshi's thread: queue a refresh to the GUI thread. The
        // face-folder export of a check comes after its DONE, as an event of its own.
        context_->on_event([this](const sdk::Event &e) {
            if (e.type == ONSHI_EVENT_FACE_EXPORTED) {
                const QString text = QString::fromStdString(e.text);
                const bool ok = e.status == ONSHI_OK;
                QMetaObject::invokeMethod(
                    this,
                    [this, text, ok] {
                        status_->showMessage(ok ? QStringLiteral("レセコン連携フォルダーへ書き出しました: ") + text
                                                    : QStringLiteral("レセコン連携フォルダーへ書き出せませんでした: ") + text);
                    },
                    Qt::QueuedConnection);
                return;
            }
            QMetaObject::invokeMethod(this, [this] { refresh_readers(); }, Qt::QueuedConnection);
        });
        refresh_readers();
        if (options_.setup.isEmpty()) {
            set_mode(Mode::idle);
            show_screen(idle_screen());
            return report(QStringLiteral("state: idle"));
        }
        std::string setup = read_file(options_.setup);
        sdk::JobHandlers handlers;
        handlers.on_complete = [this](const sdk::Result &r) {
            QMetaObject::invokeMethod(this, [this, r] { enrolled(r); }, Qt::QueuedConnection);
        };
        job_.emplace(context_->terminal_enroll(setup, std::move(handlers)));
        std::fill(setup.begin(), setup.end(), '\0'); // it holds the setup password
        show_screen(plain_screen(QStringLiteral("端末を登録しています…"), kGrey));
    } catch (const sdk::Error &e) {
        Screen s = failure_screen(e.status(), {}, QString::fromStdString(e.message()));
        s.headline = QStringLiteral("onshi を開始できませんでした");
        show_screen(s);
        report(QStringLiteral("state: setup-failed ") + QString::fromStdString(e.name()));
    } catch (const std::exception &e) {
        Screen s = plain_screen(QStringLiteral("onshi を開始できませんでした"), kRed, QString::fromUtf8(e.what()));
        s.action_title = QStringLiteral("次の対応");
        s.actions << QStringLiteral("システム担当者に連絡してください。");
        show_screen(s);
        report(QStringLiteral("state: setup-failed"));
    }
}

void ReceptionWindow::enrolled(const sdk::Result &result) {
    job_.reset();
    const onshi_status st = result.status();
    if (st == ONSHI_OK || st == ONSHI_E_ALREADY_ENROLLED) {
        status_->showMessage(st == ONSHI_OK ? QStringLiteral("端末登録: 完了") : QStringLiteral("端末登録: 登録済み"));
        set_mode(Mode::idle);
        show_screen(idle_screen());
        return report(QStringLiteral("state: idle"));
    }
    Screen s = failure_screen(st, QString::fromStdString(result.json()));
    s.headline = QStringLiteral("端末登録に失敗しました");
    show_screen(s);
    report(QStringLiteral("state: setup-failed ") + QString::fromStdString(library_.status_name(st)));
}

namespace {

// What the reader holds, for staff (docs/smartphones.md).
QString medium_label(const QString &medium) {
    if (medium == QLatin1String("card")) return QStringLiteral("マイナンバーカード");
    if (medium == QLatin1String("android")) return QStringLiteral("スマートフォン（Android）: 暗証番号のみ");
    if (medium == QLatin1String("iphone")) return QStringLiteral("iPhone: 未対応、カードをお使いください");
    if (medium == QLatin1String("juki")) return QStringLiteral("住基カード: 使えません");
    if (medium == QLatin1String("other")) return QStringLiteral("マイナンバーカード以外");
    return QStringLiteral("カードあり");
}

}  // namespace

// [{"name": "...", "card_present": true, "medium": "card"}, ...] → the list. Until staff pick a reader (or --reader
// named one), the selection follows the first reader that holds a card.
void ReceptionWindow::refresh_readers() {
    if (!context_)
        return;
    QJsonArray list;
    pcsc_down_ = false;
    try {
        list = QJsonDocument::fromJson(QByteArray::fromStdString(context_->list_readers())).array();
    } catch (const sdk::Error &e) {
        pcsc_down_ = e.status() == ONSHI_E_PCSC_UNAVAILABLE;
    }
    QString keep = user_chose_reader_ ? selected_reader() : QString();
    if (keep.isEmpty() && user_chose_reader_)
        keep = options_.reader;
    if (!user_chose_reader_)
        for (const QJsonValue &v : list)
            if (v[QStringLiteral("card_present")].toBool()) {
                keep = v[QStringLiteral("name")].toString();
                break;
            }
    readers_->clear();
    QString summary;
    for (const QJsonValue &v : list) {
        const QString name = v[QStringLiteral("name")].toString();
        const bool card = v[QStringLiteral("card_present")].toBool();
        summary += (summary.isEmpty() ? QString() : QStringLiteral(", ")) + name +
                   (card ? QStringLiteral("=card") : QStringLiteral("=empty"));
        const QString medium = v[QStringLiteral("medium")].toString();
        auto *item = new QListWidgetItem((card ? QStringLiteral("● ") : QStringLiteral("○ ")) + name +
                                         (card ? QStringLiteral("（") + medium_label(medium) + QStringLiteral("）")
                                               : QStringLiteral("（カードなし）")));
        item->setData(Qt::UserRole, name);
        item->setData(Qt::UserRole + 1, card);
        item->setData(Qt::UserRole + 2, medium);
        readers_->addItem(item);
        if (name == keep)
            readers_->setCurrentItem(item);
    }
    if (summary != readers_seen_) {
        readers_seen_ = summary;
        report(QStringLiteral("readers: ") + summary);
    }
    if (mode_ == Mode::idle)
        show_screen(idle_screen());
    set_mode(mode_);  // the buttons follow the selected card's medium
}

QString ReceptionWindow::selected_reader() const {
    return readers_->currentItem() ? readers_->currentItem()->data(Qt::UserRole).toString() : QString();
}

QString ReceptionWindow::selected_medium() const {
    return readers_->currentItem() ? readers_->currentItem()->data(Qt::UserRole + 2).toString() : QString();
}

// 資格確認 (PIN) or 目視確認 (visual, with the chip's face photo opened by 照合番号B).
void ReceptionWindow::start(bool visual) {
    if (job_ || !context_)
        return;
    visual_ = visual;
    steps_.clear();
    slow_reported_ = refused_last_try_ = false;
    awaiting_compare_.reset();
    QJsonObject request{{QStringLiteral("method"), visual ? QStringLiteral("visual") : QStringLiteral("pin")}};
    if (visual)
        request[QStringLiteral("photo")] = true;
    job_reader_ = selected_reader(); // empty: onshi takes the first reader that holds a card
    if (!job_reader_.isEmpty())
        request[QStringLiteral("reader")] = job_reader_;
    sdk::JobHandlers handlers;
    // Every handler copies what it got and hands it to the GUI thread; none touches a widget.
    handlers.on_event = [this](const sdk::Event &e) {
        if (e.type == ONSHI_EVENT_PROGRESS || e.type == ONSHI_EVENT_PIN_NEEDED)
            QMetaObject::invokeMethod(this, [this, e] { on_job_event(e); }, Qt::QueuedConnection);
    };
    handlers.on_complete = [this](const sdk::Result &r) {
        QMetaObject::invokeMethod(this, [this, r] { finished(r); }, Qt::QueuedConnection);
    };
    set_mode(Mode::running);
    status_->clearMessage();
    show_screen(running_screen());
    report(QStringLiteral("state: started ") + (visual ? QStringLiteral("visual") : QStringLiteral("pin")));
    try {
        job_.emplace(context_->start_check(QJsonDocument(request).toJson(QJsonDocument::Compact).toStdString(), {},
                                           std::move(handlers)));
    } catch (const sdk::Error &e) {
        set_mode(Mode::showing);
        show_screen(failure_screen(e.status(), {}, QString::fromStdString(e.message())));
        report(QStringLiteral("state: failed ") + QString::fromStdString(e.name()));
    }
}

// PROGRESS and PIN_NEEDED on the GUI thread: a new step (the event's text, else ours).
void ReceptionWindow::on_job_event(const sdk::Event &e) {
    if (!job_ || job_->id() != e.job)
        return;
    QString label = QString::fromStdString(e.text);
    QString id;
    if (e.type == ONSHI_EVENT_PROGRESS) {
        const ProgressName *p = progress_name(e.value);
        id = p ? QString::fromLatin1(p->id) : QString::number(e.value);
        if (label.isEmpty())
            label = p ? QString::fromUtf8(p->label) : QStringLiteral("処理しています");
    } else if (label.isEmpty()) {
        label = e.detail == ONSHI_SECRET_COLLATION_B ? QStringLiteral("照合番号Bの入力を待っています")
                                                      : QStringLiteral("暗証番号の入力を待っています");
    }
    Step step{e.type == ONSHI_EVENT_PROGRESS ? e.value : 0, label, {}};
    step.since.start();
    steps_.append(step);
    slow_reported_ = false;
    show_screen(running_screen());
    if (e.type == ONSHI_EVENT_PROGRESS)
        report(QStringLiteral("state: progress ") + id);
    else
        ask_secret(e);
}

// ONSHI_EVENT_PIN_NEEDED. Before the LAST try, a warning first: never spend it without the
// patient's explicit agreement, it locks the card. Like the PIN dialog, the warning is open()ed,
// not exec()ed: no nested event loop, the answer arrives through a signal.
void ReceptionWindow::ask_secret(const sdk::Event &e) {
    if (e.value != 1)
        return open_secret_dialog(e, false);
    const bool pin = e.detail != ONSHI_SECRET_COLLATION_B;
    auto *box = new QMessageBox(
        QMessageBox::Warning, pin ? QStringLiteral("暗証番号の残りは1回です") : QStringLiteral("照合番号Bの残りは1回です"),
        pin ? QStringLiteral("暗証番号の入力は、あと1回です。") : QStringLiteral("照合番号Bの入力は、あと1回です。"),
        QMessageBox::Yes | QMessageBox::No, this);
    box->setInformativeText(
        pin ? QStringLiteral("間違えるとカードの暗証番号がロックされ、お住まいの市区町村の窓口で再設定するまで使えなく"
                             "なります。\n\n患者さんが暗証番号を確かに覚えていて、入力を希望されたときだけ「はい」を押して"
                             "ください。\n「いいえ」では入力せずに終わり、目視確認（顔写真）に進めます。")
            : QStringLiteral("間違えると照合番号Bがロックされ、顔写真を読めなくなります。\n\nカードの表面で番号を確かめて"
                             "から「はい」を押してください。"));
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, e](int) {
        if (!job_ || job_->id() != e.job)
            return; // the job ended meanwhile (the warning was closed by finished())
        const bool agreed = box->standardButton(box->clickedButton()) == QMessageBox::Yes;
        report(QStringLiteral("state: last-try-answer ") + (agreed ? QStringLiteral("yes") : QStringLiteral("no")));
        if (agreed)
            return open_secret_dialog(e, true);
        refused_last_try_ = true;
        job_->cancel();
    });
    dialog_ = box;
    box->open();
    report(QStringLiteral("state: last-try-warning"));
}

// The PIN or 照合番号B dialog, with the tries left. 照合番号B is typed by staff from the card face,
// so the dialog says how it is made up.
void ReceptionWindow::open_secret_dialog(const sdk::Event &e, bool allow_last) {
    const bool collation = e.detail == ONSHI_SECRET_COLLATION_B;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(collation ? QStringLiteral("照合番号B") : QStringLiteral("暗証番号"));
    QString label =
        collation ? QStringLiteral("カードの表面を見て、照合番号B（数字14桁）を入力してください。\n"
                                   "  ① 生年月日 6桁 … 和暦の年・月・日を2桁ずつ\n"
                                   "  ② 有効期限の年 4桁 … 西暦\n"
                                   "  ③ セキュリティコード 4桁 … 顔写真の下の数字\n"
                                   "例: 昭和62年8月9日生まれ・有効期限2033年・セキュリティコード4716\n"
                                   "     → 62 08 09 2033 4716 → 62080920334716")
                  : QStringLiteral("患者さんに暗証番号（数字4桁）を入力していただいてください。");
    if (e.value >= 0)
        label += QStringLiteral("\n\n残り %1 回").arg(e.value);
    if (e.status != ONSHI_OK)
        label += collation ? QStringLiteral("\n数字14桁ではありません。もう一度入力してください。")
                           : QStringLiteral("\n数字4桁ではありません。もう一度入力してください。");
    dialog->setLabelText(label);
    dialog->setTextEchoMode(QLineEdit::Password);
    if (auto *edit = dialog->findChild<QLineEdit *>())
        edit->setMaxLength(collation ? 14 : 4);
    connect(dialog, &QInputDialog::finished, this, [this, dialog, allow_last, e](int result) {
        QString secret = dialog->textValue();
        dialog->setTextValue(QString());
        if (!job_ || job_->id() != e.job)
            return;
        if (result != QDialog::Accepted || secret.isEmpty())
            return job_->cancel();
        give_secret(e, std::move(secret), allow_last);
    });
    dialog_ = dialog;
    dialog->open(); // not exec(): no nested event loop
    report(QStringLiteral("state: dialog ") + (collation ? QStringLiteral("collation_b ") : QStringLiteral("pin ")) +
           QString::number(e.value));
}

void ReceptionWindow::give_secret(const sdk::Event &e, QString secret, bool allow_last) {
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
            job_->cancel();
        }
    }
    std::fill(bytes.begin(), bytes.end(), '\0');
}

// The job's outcome on the GUI thread.
void ReceptionWindow::finished(const sdk::Result &r) {
    if (!job_ || job_->id() != r.job())
        return;
    job_.reset();
    if (dialog_)
        dialog_->close(); // a PIN dialog still open when the job ended (PIN timeout, card removed)
    const QString now = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    if (r.ok()) {
        const QString verdict = QString::fromStdString(r.field("verdict").value_or(""));
        if (visual_ && !r.photo_png().empty()) {
            awaiting_compare_ = r; // staff compare the photo with the patient before it counts
            set_mode(Mode::comparing);
            show_screen(result_screen(r));
            status_->showMessage(now + QStringLiteral(" 目視確認: 顔写真の照合待ち"));
            return report(QStringLiteral("state: photo-compare"));
        }
        set_mode(Mode::showing);
        const Screen s = result_screen(r);
        show_screen(s);
        status_->showMessage(now + QStringLiteral(" ") + s.headline);
        return report(QStringLiteral("state: result ") + verdict + (visual_ ? QStringLiteral(" visual") : QStringLiteral(" pin")));
    }
    set_mode(Mode::showing);
    if (r.status() == ONSHI_E_CANCELLED) {
        show_screen(cancelled_screen());
        status_->showMessage(now + QStringLiteral(" 中止"));
        return report(refused_last_try_ ? QStringLiteral("state: refused-last-try") : QStringLiteral("state: cancelled"));
    }
    show_screen(failure_screen(r.status(), QString::fromStdString(r.json())));
    status_->showMessage(now + QStringLiteral(" 確認できませんでした"));
    report(QStringLiteral("state: failed ") + QString::fromStdString(library_.status_name(r.status())));
}

void ReceptionWindow::photo_compared(bool same_person) {
    if (!awaiting_compare_)
        return;
    const sdk::Result r = *awaiting_compare_;
    awaiting_compare_.reset();
    set_mode(Mode::showing);
    if (!same_person) {
        show_screen(mismatch_screen());
        return report(QStringLiteral("state: photo-mismatch"));
    }
    const Screen s = result_screen(r);
    show_screen(s);
    status_->showMessage(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss ")) + s.headline);
    report(QStringLiteral("state: result ") + QString::fromStdString(r.field("verdict").value_or("")) +
           QStringLiteral(" visual"));
}

void ReceptionWindow::tick() {
    clock_->setText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")));
    if (mode_ != Mode::running || steps_.isEmpty())
        return;
    if (!slow_reported_ && slow()) {
        slow_reported_ = true;
        show_screen(running_screen());
        return report(QStringLiteral("state: slow"));
    }
    const QString html = steps_html();
    if (html != progress_->text())
        progress_->setText(html);
}

// ---- the screens ---------------------------------------------------------------------------------

Screen ReceptionWindow::idle_screen() const {
    Screen s;
    if (pcsc_down_) {
        s.headline = QStringLiteral("カードリーダーを使えません");
        s.colour = kRed;
        s.message = QString::fromStdString(library_.status_message(ONSHI_E_PCSC_UNAVAILABLE));
        s.action_title = QStringLiteral("次の対応");
        s.actions << QStringLiteral("システム担当者に連絡してください（スマートカードのサービスが動いていません）。");
        return s;
    }
    if (readers_->count() == 0) {
        s.headline = QStringLiteral("カードリーダーが見つかりません");
        s.action_title = QStringLiteral("次の対応");
        s.actions << QStringLiteral("カードリーダーをパソコンにつないでください。");
        return s;
    }
    const QListWidgetItem *selected = readers_->currentItem();
    bool card_somewhere = false;
    for (int i = 0; i < readers_->count(); ++i)
        card_somewhere = card_somewhere || readers_->item(i)->data(Qt::UserRole + 1).toBool();
    if (selected && selected->data(Qt::UserRole + 1).toBool()) {
        s.headline = QStringLiteral("「資格確認（暗証番号）」を押してください");
        s.message = QStringLiteral("「%1」のカードで確認します。暗証番号を使えない方は「目視確認（顔写真）」で確認できます。")
                        .arg(selected->data(Qt::UserRole).toString());
    } else if (selected && card_somewhere) {
        s.headline = QStringLiteral("選んだリーダーにカードがありません");
        s.message = QStringLiteral("「%1」にカードを置くか、一覧で「カードあり」のリーダーを選んでください。")
                        .arg(selected->data(Qt::UserRole).toString());
    } else {
        s.headline = QStringLiteral("マイナンバーカードをカードリーダーに置いてください");
        s.message = QStringLiteral("カードを置くと、一覧に「カードあり」と表示されます。");
    }
    return s;
}

QString ReceptionWindow::steps_html() const {
    QString html;
    for (int i = 0; i < steps_.size(); ++i) {
        const Step &step = steps_[i];
        if (i + 1 < steps_.size()) {
            html += QStringLiteral("<span style='color:%1'>✓ %2</span><br>").arg(kGrey, text_of(step.label));
        } else {
            html += QStringLiteral("<b>▶ %1</b>（%2秒）").arg(text_of(step.label)).arg(step.since.elapsed() / 1000);
        }
    }
    return html;
}

// A machine step (not the card wait, not a PIN being typed) running longer than kSlowAfterMs.
bool ReceptionWindow::slow() const {
    if (steps_.isEmpty())
        return false;
    const Step &step = steps_.last();
    return step.progress != 0 && step.progress != ONSHI_PROGRESS_WAITING_FOR_CARD &&
           step.since.elapsed() >= kSlowAfterMs;
}

Screen ReceptionWindow::running_screen() const {
    Screen s;
    const bool waiting_for_card = !steps_.isEmpty() && steps_.last().progress == ONSHI_PROGRESS_WAITING_FOR_CARD;
    if (waiting_for_card) {
        const QString &reader = job_reader_;
        s.headline = QStringLiteral("マイナンバーカードをカードリーダーに置いてください");
        s.message = reader.isEmpty() ? QStringLiteral("カードが置かれると、確認を始めます。")
                                     : QStringLiteral("「%1」にカードが置かれると、確認を始めます。").arg(reader);
    } else {
        s.headline = visual_ ? QStringLiteral("目視確認をしています") : QStringLiteral("資格確認をしています");
        s.message = QStringLiteral("終わるまで、カードをカードリーダーに置いたままにしてください。");
    }
    if (slow()) {
        s.action_title = QStringLiteral("お知らせ");
        s.actions << QStringLiteral("応答に時間がかかっています。このまま待つか、「中止」を押してください。")
                  << QStringLiteral("中止したときは、資格確認書または健康保険証で受付し、後で確認できます。");
    }
    s.progress_html = steps_html();
    return s;
}

Screen ReceptionWindow::result_screen(const sdk::Result &r) const {
    const QJsonObject root = parse_object(r.json());
    const QJsonObject labels = root[QStringLiteral("labels")].toObject();
    const QJsonObject confirmation = root[QStringLiteral("confirmation")].toObject();
    const QString verdict = root[QStringLiteral("verdict")].toString();
    const bool visual = confirmation[QStringLiteral("method")].toString() == QLatin1String("visual");
    const bool photo = !r.photo_png().empty();
    Screen s;
    QStringList facts;
    if (const QString id = confirmation[QStringLiteral("id")].toString(); !id.isEmpty())
        facts << QStringLiteral("確認番号: ") + id;
    if (const QString time = confirmation[QStringLiteral("time")].toString(); !time.isEmpty()) {
        const auto shown = japanese_date_time(time.toStdString());
        facts << QStringLiteral("確認日時: ") + (shown ? QString::fromStdString(*shown) : time);
    }
    facts << QStringLiteral("確認方法: ") +
                 (!visual             ? QStringLiteral("暗証番号（マイナンバーカード）")
                  : awaiting_compare_ ? QStringLiteral("目視確認（顔写真の照合待ち）")
                  : photo             ? QStringLiteral("目視確認（顔写真とご本人を照合済み）")
                                      : QStringLiteral("目視確認"));
    if (const QString medium = medium_of(root); !medium.isEmpty())
        facts << QStringLiteral("確認に使った媒体: ") + medium;
    s.message = facts.join(QLatin1Char('\n'));

    if (awaiting_compare_) {
        s.headline = QStringLiteral("顔写真とご本人を見比べてください");
        s.colour = kOrange;
        s.action_title = QStringLiteral("次の対応");
        s.actions << QStringLiteral("ICチップの顔写真と、窓口にいらっしゃる方が同じ人か確かめてください。")
                  << QStringLiteral("同じ人なら「本人と確認しました」、違う・分からないときは「本人と確認できません」"
                                    "を押してください（その結果は使いません）。");
        s.ask_compare = true;
    } else if (verdict == QLatin1String("eligible")) {
        s.headline = QStringLiteral("資格あり");
        s.colour = kGreen;
    } else if (verdict == QLatin1String("not_eligible")) {
        s.headline = QStringLiteral("資格なし");
        s.colour = kRed;
        s.action_title = QStringLiteral("次の対応");
        s.actions << QStringLiteral("有効な資格を確認できませんでした。保険が変わっていないか患者さんに伺い、資格確認書"
                                    "または健康保険証の提示をお願いしてください。");
    } else {
        s.headline = QStringLiteral("要確認");
        s.colour = kOrange;
        s.action_title = QStringLiteral("次の対応");
        s.actions << QStringLiteral("資格有効性など下の内容を確認してください。判断できないときは資格確認書または健康"
                                    "保険証で確認してください。");
    }
    const QStringList notices = notices_of(root);
    if (!notices.isEmpty()) {
        if (s.action_title.isEmpty())
            s.action_title = QStringLiteral("お知らせ");
        else
            s.action_title += QStringLiteral("・お知らせ");
        s.actions << notices;
    }

    QString html = QStringLiteral("<table cellspacing=0 cellpadding=1>");
    for (const Field &field : kFields) {
        const auto value = r.field(field.element);
        if (!value || QString::fromStdString(*value).trimmed().isEmpty())
            continue;
        html += QStringLiteral("<tr><td style='color:%1; padding-right:12px'>%2</td><td>%3</td></tr>")
                    .arg(kGrey, QString::fromUtf8(field.title), text_of(shown_value(field, *value, labels)));
    }
    s.details_html = html + QStringLiteral("</table>");
    const std::vector<std::uint8_t> png = r.photo_png();
    if (!png.empty())
        s.photo.loadFromData(png.data(), static_cast<uint>(png.size()), "PNG");
    return s;
}

// A failed job. The library's own sentences when it gives them ("message", "action", "detail");
// with a library that does not, its status message and the fallback table.
Screen ReceptionWindow::failure_screen(onshi_status status, const QString &json, const QString &technical) const {
    const QJsonObject failure = parse_object(json.toStdString());
    const QStringList library_actions = lines_of(failure[QStringLiteral("action")]);
    const bool guided = !library_actions.isEmpty();
    Screen s;
    s.headline = QStringLiteral("確認できませんでした");
    s.colour = kRed;
    const QString library_message = failure[QStringLiteral("message")].toString();
    s.message = guided && !library_message.isEmpty() ? library_message
                                                     : QString::fromStdString(library_.status_message(status));
    // The tries left matter after a wrong PIN / 照合番号B (a locked one has none by definition).
    const int tries = failure[QStringLiteral("tries_left")].toInt(-1);
    const bool incorrect = status == ONSHI_E_PIN_INCORRECT || status == ONSHI_E_COLLATION_B_INCORRECT;
    if (incorrect && tries >= 0 && !s.message.contains(QStringLiteral("残り")))
        s.message += QStringLiteral("（残り %1 回）").arg(tries);
    s.action_title = QStringLiteral("次の対応");
    s.actions = guided ? library_actions : QStringList{QString::fromUtf8(fallback_next_action(status))};
    // For IT: the library's detail, or (older library) its precise message; never shown as the
    // clerk's sentence.
    QString detail = guided ? failure[QStringLiteral("detail")].toString() : technical;
    if (detail.isEmpty() && !guided && library_message != s.message)
        detail = library_message;
    s.detail = QStringLiteral("システム担当者向けの詳細（コード %1）").arg(status) +
               (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
    s.offer_visual = status == ONSHI_E_PIN_BLOCKED || status == ONSHI_E_LAST_TRY_REFUSED;
    return s;
}

Screen ReceptionWindow::cancelled_screen() const {
    Screen s;
    s.action_title = QStringLiteral("次の対応");
    if (refused_last_try_) { // the patient did not want to spend the last try: not an error
        s.headline = QStringLiteral("暗証番号は入力しませんでした");
        s.colour = kOrange;
        s.message = QStringLiteral("残りが1回のため、入力せずに終えました。カードはロックされていません。");
        s.actions << QStringLiteral("目視確認（顔写真）で資格確認を続けてください。")
                  << QStringLiteral("暗証番号を忘れたときは、お住まいの市区町村の窓口で再設定できます。");
        s.offer_visual = true;
        return s;
    }
    s.headline = QStringLiteral("確認を中止しました");
    s.colour = kGrey;
    if (!steps_.isEmpty() && steps_.last().progress == ONSHI_PROGRESS_CONTACTING_GATEWAY) {
        s.message = QStringLiteral("資格確認サーバーの応答を待たずに中止しました。");
        s.actions << QStringLiteral("少し待ってから、もう一度お試しください。")
                  << QStringLiteral("応答がないときは資格確認書または健康保険証で受付し、後で確認してください。");
    } else {
        s.actions << QStringLiteral("もう一度確認するときは「資格確認（暗証番号）」または「目視確認（顔写真）」を押して"
                                    "ください。");
    }
    return s;
}

Screen ReceptionWindow::mismatch_screen() const {
    Screen s;
    s.headline = QStringLiteral("ご本人と確認できませんでした");
    s.colour = kRed;
    s.message = QStringLiteral("顔写真と窓口の方が同じ人と確認できなかったため、この資格確認の結果は使いません。");
    s.action_title = QStringLiteral("次の対応");
    s.actions << QStringLiteral("資格確認書または健康保険証など、ほかの方法でご本人と資格を確認してください。");
    return s;
}

void ReceptionWindow::show_screen(const Screen &s) {
    headline_->setText(s.headline);
    headline_->setStyleSheet(QStringLiteral("color: %1").arg(s.colour));
    message_->setText(s.message);
    message_->setVisible(!s.message.isEmpty());
    QString actions;
    for (const QString &line : s.actions)
        actions += QStringLiteral("<br>") + text_of(line);
    actions_->setText(QStringLiteral("<b>%1</b>").arg(text_of(s.action_title)) + actions);
    actions_->setVisible(!s.action_title.isEmpty());
    progress_->setText(s.progress_html);
    progress_->setVisible(!s.progress_html.isEmpty());
    details_->setText(s.details_html);
    details_->setVisible(!s.details_html.isEmpty());
    // No photo, no frame: an empty box on a PIN check only raises questions.
    photo_panel_->setVisible(!s.photo.isNull());
    if (!s.photo.isNull())
        photo_->setPixmap(s.photo.scaled(photo_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
    else
        photo_->clear();
    detail_->setText(s.detail);
    detail_->setVisible(!s.detail.isEmpty());
    next_button_->setVisible(s.offer_visual);
    same_button_->setVisible(s.ask_compare);
    other_button_->setVisible(s.ask_compare);
}

void ReceptionWindow::set_mode(Mode mode) {
    mode_ = mode;
    const bool can_start = mode == Mode::idle || mode == Mode::showing;
    // A phone has no card face (no 目視確認); an iPhone, a 住基カード or another card cannot be
    // checked at all. Unknown: offer both and let the library say.
    const QString medium = selected_medium();
    const bool pin_works = medium != QLatin1String("iphone") && medium != QLatin1String("juki") && medium != QLatin1String("other");
    const bool visual_works = medium.isEmpty() || medium == QLatin1String("card") || medium == QLatin1String("unknown");
    pin_button_->setEnabled(can_start && pin_works);
    visual_button_->setEnabled(can_start && visual_works);
    next_button_->setEnabled(can_start && visual_works);
    cancel_button_->setEnabled(mode == Mode::running);
    cancel_button_->setText(QStringLiteral("中止"));
}

void ReceptionWindow::report(const QString &line) {
    if (on_state)
        on_state(line);
}

} // namespace reception
