-- The stream heads now live in the events themselves (008, 009): the table of heads goes.
DROP TABLE eventstore.streams;
