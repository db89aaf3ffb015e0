"""The interview day itself: the printable day plan of a panel and the office's agenda of coming
interview days (``plan`` reads, ``views`` serves), and whether a date is a working day."""
