# input taskpair

A_taskpair = 0
