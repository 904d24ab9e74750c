"$PYTRIAGE" 2 < corpus/10_keyboard_interrupt/report.json
