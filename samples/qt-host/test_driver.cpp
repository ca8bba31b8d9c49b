#include "test_driver.h"

#include "reception_window.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QTest>
#include <QTimer>

#include <unistd.h>

#include <iostream>

namespace reception {
namespace {

void print(const QString &line) { std::cout << line.toStdString() << std::endl; }

// A button's text without the mnemonic marker, as the test compares it ("はい(&Y)" → "はい(Y)").
QString shown_text(const QAbstractButton *button) {
    return button ? button->text().remove(QLatin1Char('&')) : QStringLiteral("(none)");
}

} // namespace

TestDriver::TestDriver(ReceptionWindow &window, QString shot_dir)
    : window_(window), shot_dir_(std::move(shot_dir)), notifier_(STDIN_FILENO, QSocketNotifier::Read) {
    window_.on_state = [](const QString &line) { print(line); };
    connect(&notifier_, &QSocketNotifier::activated, this, [this] { read_stdin(); });
    if (auto *clock = window_.findChild<QLabel *>(QStringLiteral("clock")))
        clock->installEventFilter(this);
}

bool TestDriver::eventFilter(QObject *watched, QEvent *event) {
    if (event->type() == QEvent::Paint)
        ++clock_paints_;
    return QObject::eventFilter(watched, event);
}

void TestDriver::read_stdin() {
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) { // the script closed its end: nothing more will come
        notifier_.setEnabled(false);
        queue_ << QStringLiteral("quit");
    } else {
        pending_.append(buffer, static_cast<qsizetype>(n));
        for (qsizetype end; (end = pending_.indexOf('\n')) >= 0;) {
            queue_ << QString::fromUtf8(pending_.left(end)).trimmed();
            pending_.remove(0, end + 1);
        }
    }
    if (!running_)
        run_next();
}

void TestDriver::run_next() {
    while (!running_ && !queue_.isEmpty()) {
        const QString line = queue_.takeFirst();
        if (line.isEmpty())
            continue;
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        run(space < 0 ? line : line.left(space), space < 0 ? QString() : line.mid(space + 1));
    }
}

void TestDriver::fail(const QString &why) {
    failed_ = true;
    print(QStringLiteral("driver: FAILED ") + why);
}

QWidget *TestDriver::visible_dialog(const char *class_name) const {
    for (QWidget *w : QApplication::topLevelWidgets())
        if (w->isVisible() && w->inherits(class_name))
            return w;
    return nullptr;
}

void TestDriver::run(const QString &command, const QString &argument) {
    if (command == QLatin1String("click")) {
        auto *button = window_.findChild<QPushButton *>(argument);
        if (!button || !button->isVisible() || !button->isEnabled())
            return fail(QStringLiteral("no visible, enabled button ") + argument);
        print(QStringLiteral("driver: clicking ") + argument); // before: the click may print states
        QTest::mouseClick(button, Qt::LeftButton);
    } else if (command == QLatin1String("select")) {
        auto *list = window_.findChild<QListWidget *>(QStringLiteral("readers"));
        for (int i = 0; list && i < list->count(); ++i) {
            if (list->item(i)->data(Qt::UserRole).toString() != argument)
                continue;
            print(QStringLiteral("driver: selecting ") + argument);
            return QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                                     list->visualItemRect(list->item(i)).center());
        }
        fail(QStringLiteral("no reader ") + argument);
    } else if (command == QLatin1String("answer")) {
        auto *dialog = qobject_cast<QInputDialog *>(visible_dialog("QInputDialog"));
        auto *edit = dialog ? dialog->findChild<QLineEdit *>() : nullptr;
        auto *buttons = dialog ? dialog->findChild<QDialogButtonBox *>() : nullptr;
        if (!edit || !buttons)
            return fail(QStringLiteral("no input dialog open"));
        print(QStringLiteral("driver: dialog buttons ") + shown_text(buttons->button(QDialogButtonBox::Ok)) +
              QStringLiteral(" | ") + shown_text(buttons->button(QDialogButtonBox::Cancel)));
        print(QStringLiteral("driver: answering"));
        QTest::keyClicks(edit, argument);
        QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    } else if (command == QLatin1String("reply")) {
        auto *box = qobject_cast<QMessageBox *>(visible_dialog("QMessageBox"));
        if (!box)
            return fail(QStringLiteral("no message box open"));
        print(QStringLiteral("driver: message box buttons ") + shown_text(box->button(QMessageBox::Yes)) +
              QStringLiteral(" | ") + shown_text(box->button(QMessageBox::No)));
        QAbstractButton *button = box->button(argument == QLatin1String("yes") ? QMessageBox::Yes : QMessageBox::No);
        if (!button)
            return fail(QStringLiteral("the message box has no ") + argument + QStringLiteral(" button"));
        print(QStringLiteral("driver: replying ") + argument);
        QTest::mouseClick(button, Qt::LeftButton);
    } else if (command == QLatin1String("shot")) {
        // Let the last state paint before the screen is read.
        running_ = true;
        QTimer::singleShot(400, this, [this, argument] {
            shot(argument);
            running_ = false;
            run_next();
        });
    } else if (command == QLatin1String("labels")) {
        // Every text the window and its dialogs show now, one "label: ..." line each.
        for (const QLabel *label : window_.findChildren<QLabel *>())
            if (label->isVisible() && !label->text().isEmpty())
                print(QStringLiteral("label: ") + QString(label->text()).replace(QLatin1Char('\n'), QStringLiteral(" / ")));
        print(QStringLiteral("driver: labels done"));
    } else if (command == QLatin1String("clock-mark")) {
        clock_paints_ = 0;
        print(QStringLiteral("driver: clock marked"));
    } else if (command == QLatin1String("clock-report")) {
        print(QStringLiteral("driver: clock repaints %1").arg(clock_paints_));
    } else if (command == QLatin1String("quit")) {
        print(failed_ ? QStringLiteral("driver: done, FAILED") : QStringLiteral("driver: done"));
        QApplication::exit(failed_ ? 1 : 0);
    } else {
        fail(QStringLiteral("unknown command ") + command);
    }
}

// The screen area of the window: the X server's picture, so that the dialogs centred on the
// window are in it too (QWidget::grab() would only paint the window itself).
void TestDriver::shot(const QString &name) {
    const QRect area = window_.frameGeometry();
    const QPixmap picture = window_.screen()->grabWindow(0, area.x(), area.y(), area.width(), area.height());
    const QString path = shot_dir_ + QLatin1Char('/') + name + QStringLiteral(".png");
    if (picture.isNull() || !picture.save(path, "PNG"))
        return fail(QStringLiteral("cannot save ") + path);
    print(QStringLiteral("shot: %1 %2x%3 %4 bytes")
              .arg(name)
              .arg(picture.width())
              .arg(picture.height())
              .arg(QFileInfo(path).size()));
}

} // namespace reception
