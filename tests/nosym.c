/* A shared object that is not an implementation of semget: the runner must say so. */
int not_semget(void) { return 0; }
